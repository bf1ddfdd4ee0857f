/**
 * How a failed system call is reported, once for the whole project.
 *
 * <ul>
 *   <li>{@link org.autoprobe.core.errno.Errno}: an errno number with its name and glibc's text;
 *       named constants for the values the code decides on. Errnos compare with {@code equals},
 *       never by their bare numbers.</li>
 *   <li>{@link org.autoprobe.core.errno.SyscallException}: the one exception a failed call throws,
 *       {@code CALL(ARGUMENT) failed: NAME (TEXT)}, with an optional meaning in a user's words that
 *       the layer making the call adds ({@code org.autoprobe.core.kernel.KernelCall} for the module
 *       calls: {@code finit_module(e1000e) failed: EEXIST (File exists): already loaded}).</li>
 *   <li>{@code org.autoprobe.core.sys.Errors}: the native edges' side (JNA): read the errno a call
 *       left, check a result, restart a call a signal interrupted ({@code EINTR}). The edges of
 *       {@code netlink} and {@code daemon} use it too.</li>
 * </ul>
 *
 * <p>The kmod tools' own words ({@code Module already in kernel}, {@code could not insert ...: No
 * such device}) stay where they are, in {@code org.autoprobe.core.load}, on top of the errno.
 */
package org.autoprobe.core.errno;
