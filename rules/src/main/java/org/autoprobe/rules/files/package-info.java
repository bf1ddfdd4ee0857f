/**
 * Reading configuration files safely: {@link org.autoprobe.rules.files.ConfigFileReader} is the one
 * place modprobe.d, depmod.d, rules files and the kernel command line are opened. Only regular
 * files are opened (a symbolic link to one is fine), checked before {@code open()} so a FIFO can
 * never block it; a file larger than {@link org.autoprobe.rules.files.ConfigFileReader#MAX_BYTES}
 * is ignored with one message. {@link org.autoprobe.rules.files.ReadProblems} separates problems
 * of the files themselves (a bad line, a FIFO, a huge file: the configuration is what it is) from
 * sources that could not be read for a reason of the environment (an I/O error, too many open
 * files, a file gone between listing and reading), which the daemon retries instead of using.
 */
package org.autoprobe.rules.files;
