package org.autoprobe.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The samples of one kind of operation, and their medians and spread. */
final class Figures {
    private static final double MS = 1e6;
    private final String label;
    private final List<Sample> samples = new ArrayList<>();

    Figures(String label) {
        this.label = label;
    }

    void add(Sample s) {
        samples.add(s);
    }

    static void header() {
        System.out.printf("%n%-20s %10s %10s %10s   %-9s %s%n", "operation", "total ms", "syscall ms",
                "overhead", "(median)", "overhead min / p25 / p75 / max, syscalls per op");
    }

    void print() {
        double[] over = sorted(s -> s.overhead() * 100);
        System.out.printf("%-20s %10.2f %10.2f %9.2f%%   %-9s %.2f%% / %.2f%% / %.2f%% / %.2f%%, %d calls%n", label,
                median(Sample::total) / MS, median(Sample::syscalls) / MS, quantile(over, 0.5), "",
                over[0], quantile(over, 0.25), quantile(over, 0.75), over[over.length - 1], samples.get(0).calls());
    }

    void breakdown() {
        double total = median(Sample::total) / MS;
        double sys = median(Sample::syscalls) / MS;
        double around = median(s -> s.kernelCalls() - s.syscalls()) / MS;
        double setup = median(Sample::setup) / MS;
        double state = median(Sample::state) / MS;
        double rest = median(s -> s.total() - s.setup() - s.kernelCalls() - s.state()) / MS;
        System.out.printf("%-20s total %.2f = syscalls %.2f + around them %.3f + setup %.2f + state %.2f (%d queries)"
                + " + resolve/plan/rest %.2f%n", label, total, sys, around, setup, state,
                samples.get(0).stateQueries(), rest);
    }

    private double median(ToDoubleFunction<Sample> f) {
        return quantile(sorted(f), 0.5);
    }

    private double[] sorted(ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v;
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
