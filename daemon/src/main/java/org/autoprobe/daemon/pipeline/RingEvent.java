package org.autoprobe.daemon.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.netlink.uevent.UeventSlot;

/**
 * One preallocated entry of the ring: a copy of the uevent and what the stages decided about it.
 * Reused for ever; filling it allocates nothing.
 */
public final class RingEvent {
    Origin origin;
    /** Set by the rules stage: the generation every decision about this event uses. */
    Generation generation;
    /** Interned; set when the event wants modules. */
    String devpath;
    String modalias;
    /** What the rules asked to load (MODALIAS values and names), before resolution. */
    final ArrayList<String> asked = new ArrayList<>(4);
    /**
     * Pairs: what was looked up, and a module it yielded. Sized so that even a CPU's MODALIAS (ten
     * or so crypto and EDAC modules) fits: an entry whose list grew keeps the room, but every entry
     * of a large ring would otherwise grow once in steady state.
     */
    final ArrayList<String> targets = new ArrayList<>(16);
    final ArrayList<String> modules = new ArrayList<>(16);
    /** Modules a lookup yielded that the blacklist took out (not loaded; counted and said once per generation). */
    final ArrayList<String> blacklisted = new ArrayList<>(0);
    /** The target each {@link #blacklisted} module came from. */
    final ArrayList<String> blacklistedTargets = new ArrayList<>(0);
    /** Allocated after the lists, so that the entry's hot fields lie next to the slot's. */
    final UeventSlot slot = new UeventSlot();
    /** The sysfs reads the rules made, when the pipeline records them ({@link UeventPipeline#recordColdplugReads}). */
    final ArrayList<SysfsRead> reads = new ArrayList<>(0);
    /** A {@code remove} of {@code /module/NAME}: the kernel unloaded NAME. */
    String removedModule;
    boolean failed;
    /** When it was published into the ring ({@link System#nanoTime()}); not cleared by {@link #reset()}. */
    long announced;

    void reset() {
        generation = null;
        devpath = null;
        modalias = null;
        asked.clear();
        targets.clear();
        modules.clear();
        if (!blacklisted.isEmpty()) {
            blacklisted.clear();
            blacklistedTargets.clear();
        }
        if (!reads.isEmpty()) {
            reads.clear();
        }
        removedModule = null;
        failed = false;
    }

    /** The event as received (valid while the stage holds it). */
    public UeventSlot slot() {
        return slot;
    }

    public Origin origin() {
        return origin;
    }

    boolean failed() {
        return failed;
    }

    /** The generation the decisions used; null for a message that was not a uevent. */
    Generation generation() {
        return generation;
    }

    /** What the rules asked to load ({@code kmod load} targets), in order. Read-only; valid during the call. */
    public List<String> asked() {
        return Collections.unmodifiableList(asked);
    }

    /** The modules the targets resolved to (blacklisted ones left out), in order. Read-only; valid during the call. */
    public List<String> modules() {
        return Collections.unmodifiableList(modules);
    }

    /**
     * The sysfs reads the rules made for this event, in order, when they were recorded (coldplug
     * events while {@link UeventPipeline#recordColdplugReads} is on); else empty. Valid during the call.
     */
    public List<SysfsRead> reads() {
        return Collections.unmodifiableList(reads);
    }

    /** The device path the event's loads are for; null when it wants no module. Valid during the call. */
    public String devpath() {
        return devpath;
    }

    /** How many modules the blacklist took out of this event's answers. */
    public int blacklistedCount() {
        return blacklisted.size();
    }

    /** How many of {@link #asked()}'s targets yielded no module, not even a blacklisted one. Allocates nothing. */
    public int unmatched() {
        int n = 0;
        for (int i = 0, m = asked.size(); i < m; i++) {
            if (!targets.contains(asked.get(i)) && !blacklistedTargets.contains(asked.get(i))) {
                n++;
            }
        }
        return n;
    }

    /** When the event was published into the ring ({@link System#nanoTime()}): read from sysfs or received. */
    public long announcedNanos() {
        return announced;
    }

    /** The event's MODALIAS when it wants modules, else null. Valid during the call. */
    String modalias() {
        return modalias;
    }

    @Override
    public String toString() {
        return origin + " " + slot;
    }
}
