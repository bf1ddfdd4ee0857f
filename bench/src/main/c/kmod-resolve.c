/*
 * kmod-resolve: the reference side of autoprobe's `resolve` command.
 *
 * Reads one lookup string per line on stdin and asks libkmod what it resolves to
 * (kmod_module_new_from_lookup, the call modprobe and udev make). For each line it prints
 *     LINE<TAB>mod1 mod2 ...      the module names, each once, in libkmod's order
 *     LINE<TAB>-                  when nothing matches (or the lookup fails)
 *
 * Usage: kmod-resolve [-d ROOT] [-S KVER] [-C CONFIG]...
 *   -d ROOT   modules are in ROOT/lib/modules/KVER (as modprobe -d)
 *   -S KVER   kernel version (default: uname -r)
 *   -C PATH   configuration file or directory, repeatable (default: kmod's system directories)
 *
 * Build: gcc -O2 -o kmod-resolve kmod-resolve.c $(pkg-config --cflags --libs libkmod)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libkmod.h>

static void die(const char *what)
{
	fprintf(stderr, "kmod-resolve: %s\n", what);
	exit(2);
}

static void print_line(const char *line, struct kmod_list *list)
{
	const char *seen[1024];
	size_t nseen = 0;
	struct kmod_list *l;

	fputs(line, stdout);
	putchar('\t');
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);
		const char *name = kmod_module_get_name(mod);
		size_t i;
		int dup = 0;

		for (i = 0; i < nseen; i++) {
			if (strcmp(seen[i], name) == 0) {
				dup = 1;
				break;
			}
		}
		if (!dup) {
			if (nseen > 0)
				putchar(' ');
			fputs(name, stdout);
			if (nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = name;
		}
		kmod_module_unref(mod);
	}
	if (nseen == 0)
		putchar('-');
	putchar('\n');
}

int main(int argc, char *argv[])
{
	const char *root = NULL, *kver = NULL;
	const char **configs = calloc((size_t)argc + 1, sizeof(char *));
	size_t nconfigs = 0;
	char *dirname = NULL;
	struct utsname u;
	struct kmod_ctx *ctx;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int opt;

	if (configs == NULL)
		die("out of memory");
	while ((opt = getopt(argc, argv, "d:S:C:")) != -1) {
		switch (opt) {
		case 'd': root = optarg; break;
		case 'S': kver = optarg; break;
		case 'C': configs[nconfigs++] = optarg; break;
		default:
			die("usage: kmod-resolve [-d ROOT] [-S KVER] [-C CONFIG]... < lookups");
		}
	}
	if (optind != argc)
		die("usage: kmod-resolve [-d ROOT] [-S KVER] [-C CONFIG]... < lookups");
	if (kver == NULL) {
		if (uname(&u) < 0)
			die("uname failed");
		kver = u.release;
	}
	if (asprintf(&dirname, "%s/lib/modules/%s", root ? root : "", kver) < 0)
		die("out of memory");
	ctx = kmod_new(dirname, nconfigs > 0 ? configs : NULL);
	if (ctx == NULL)
		die("kmod_new failed");
	if (kmod_load_resources(ctx) < 0)
		die("kmod_load_resources failed (are the index files there?)");

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		struct kmod_list *list = NULL;
		int err;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		err = kmod_module_new_from_lookup(ctx, line, &list);
		if (err < 0) {
			fprintf(stderr, "kmod-resolve: lookup of '%s' failed: %s\n", line, strerror(-err));
			list = NULL;
		}
		print_line(line, list);
		kmod_module_unref_list(list);
	}
	free(line);
	kmod_unref(ctx);
	free(dirname);
	free(configs);
	return 0;
}
