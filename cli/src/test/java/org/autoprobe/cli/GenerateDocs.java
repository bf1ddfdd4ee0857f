package org.autoprobe.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step (not shipped; run by cli's pom at {@code prepare-package}): the man pages and shell
 * completions, generated from the same picocli model the commands parse with, so they cannot drift
 * from the code. picocli-codegen writes one AsciiDoc page per command, Asciidoctor turns each into a
 * section-8 man page (gzip'ed, no time in it: the build's fixed date), and picocli's AutoComplete
 * writes the bash completion, which zsh runs through its bashcompinit.
 *
 * <pre>GenerateDocs OUTDIR DATE VERSION</pre>
 * OUTDIR gets {@code man8/*.8.gz}, {@code bash/autoprobe} and {@code zsh/_autoprobe}; DATE (the
 * build's fixed time) is the pages' date, VERSION the package's.
 */
public final class GenerateDocs {
    private GenerateDocs() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        String date = args[1].substring(0, 10);
        String version = args[2];
        CommandLine cl = Main.commandLine();
        Path bash = Files.createDirectories(out.resolve("bash")).resolve("autoprobe");
        Files.writeString(bash, AutoComplete.bash("autoprobe", cl), StandardCharsets.UTF_8);
        Files.writeString(Files.createDirectories(out.resolve("zsh")).resolve("_autoprobe"), """
                #compdef autoprobe
                # autoprobe's completion for zsh: its bash completion (generated from its options), through bashcompinit
                autoload -U +X bashcompinit && bashcompinit
                # bash's compopt (display hints) has no zsh counterpart: the script's own alias of it is not
                # expanded in its functions, read here inside this one, so it would be "command not found"
                (( $+functions[compopt] )) || compopt() { return 0 }
                source /usr/share/bash-completion/completions/autoprobe
                _bash_complete -F _complete_autoprobe "$@"
                """, StandardCharsets.UTF_8);

        Path adoc = Files.createDirectories(out.resolve("adoc"));
        int rc = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        if (rc != 0) {
            throw new IOException("picocli's man page generator failed (" + rc + ")");
        }
        Path roff = Files.createDirectories(out.resolve("roff"));
        Path man8 = Files.createDirectories(out.resolve("man8"));
        List<Path> pages;
        try (Stream<Path> s = Files.list(adoc)) {
            pages = new ArrayList<>(s.filter(p -> p.toString().endsWith(".adoc")).sorted().toList());
        }
        for (Path page : pages) {
            // section 8 (system administration, as kmod's pages), and the package's version: the
            // generator runs from the classes, where no manifest says it
            String text = Files.readString(page, StandardCharsets.UTF_8)
                    .replaceFirst("(?m)^(= [^\\n(]+)\\(1\\)$", "$1(8)")
                    .replaceFirst("(?m)^:revnumber: .*$", ":revnumber: " + version)
                    .replaceFirst("(?m)^:mansource: .*$", ":mansource: autoprobe " + version);
            Files.writeString(page, text, StandardCharsets.UTF_8);
        }
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            for (Path page : pages) {
                asciidoctor.convertFile(page.toFile(), Options.builder().backend("manpage").safe(SafeMode.UNSAFE)
                        .toDir(roff.toFile()).mkDirs(true).attributes(Attributes.builder()
                                .attribute("docdate", date)
                                .attribute("revdate", date).attribute("reproducible", "").build()).build());
            }
        }
        try (Stream<Path> s = Files.list(roff)) {
            for (Path page : s.sorted().toList()) {
                try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(man8.resolve(page.getFileName() + ".gz")))) {
                    Files.copy(page, gz);
                }
            }
        }
    }
}
