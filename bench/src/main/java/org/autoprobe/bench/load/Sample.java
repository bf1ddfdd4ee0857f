package org.autoprobe.bench.load;

/**
 * One timed operation, in nanoseconds.
 *
 * @param total        the whole operation (setup included)
 * @param setup        opening the index, loading the configuration, making the resolver (0 when resident)
 * @param syscalls     inside finit_module / init_module / delete_module
 * @param kernelCalls  inside {@code Kernel.insert/remove} (the system calls and LinuxKernel's work around them)
 * @param state        inside the kernel state questions (sysfs, /proc/modules)
 * @param stateQueries how many state questions
 * @param calls        how many system calls
 */
record Sample(long total, long setup, long syscalls, long kernelCalls, long state, int stateQueries, int calls) {
    /** (total - syscalls) / syscalls. */
    double overhead() {
        return (double) (total - syscalls) / syscalls;
    }
}
