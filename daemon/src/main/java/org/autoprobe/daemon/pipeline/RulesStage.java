package org.autoprobe.daemon.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.lmax.disruptor.EventHandler;

import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.netlink.uevent.UeventAction;
import org.autoprobe.rules.udev.KmodLoad;
import org.autoprobe.rules.udev.SysfsView;
import org.autoprobe.rules.udev.UeventView;

/**
 * First stage: takes the current generation, runs its rules on the event and resolves each
 * {@code kmod load} target (the MODALIAS, or names) to module names through the generation's
 * caching resolver. Allocates nothing for an event whose texts and answers were seen before.
 */
final class RulesStage implements EventHandler<RingEvent> {
    private final Supplier<Generation> generations;
    private final SlotView view = new SlotView(new StringInterner(1 << 14));
    /** The rules' run list, reused from event to event. */
    private final List<KmodLoad> loads = new ArrayList<>(4);
    private final ResolutionMemo answers = new ResolutionMemo(1 << 12);
    private final RecordingSysfsView recorder = new RecordingSysfsView();
    private final RecordingUeventView recordingView = new RecordingUeventView();
    /** Whether coldplug events get their sysfs reads noted (for the boot plan). */
    volatile boolean recordColdplugReads;

    RulesStage(Supplier<Generation> generations) {
        this.generations = generations;
    }

    @Override
    public void onEvent(RingEvent ev, long sequence, boolean endOfBatch) {
        ev.reset();
        if (!ev.slot.isEvent()) {
            return;
        }
        Generation g = generations.get();
        ev.generation = g;
        view.reset(ev.slot);
        if (ev.slot.action() == UeventAction.REMOVE && view.subsystemIs("module")) {
            ev.removedModule = view.kernel();
            return;
        }
        List<KmodLoad> loads = this.loads;
        SysfsView sysfs = g.sysfs();
        UeventView event = view;
        if (recordColdplugReads && ev.origin == Origin.COLDPLUG) {
            sysfs = recorder.start(sysfs, ev.reads);
            event = recordingView.start(view, ev.reads);
        }
        g.rules().evaluate(event, sysfs, loads);
        for (int i = 0, n = loads.size(); i < n; i++) {
            KmodLoad load = loads.get(i);
            if (load.usesModalias()) {
                String modalias = view.property("MODALIAS");
                if (modalias != null && !modalias.isEmpty()) {
                    want(ev, g, modalias);
                }
            } else {
                List<String> names = load.names();
                for (int j = 0, m = names.size(); j < m; j++) {
                    want(ev, g, names.get(j));
                }
            }
        }
        if (!ev.modules.isEmpty() || !ev.blacklisted.isEmpty()) {
            ev.devpath = view.devpath();
            ev.modalias = view.property("MODALIAS");
        }
    }

    private void want(RingEvent ev, Generation g, String target) {
        ev.asked.add(target);
        ResolutionMemo.Entry answer = answers.answer(g, target);
        List<String> names = answer.names();
        for (int i = 0, n = names.size(); i < n; i++) {
            ev.targets.add(target);
            ev.modules.add(names.get(i));
        }
        List<String> blacklisted = answer.blacklisted();
        for (int i = 0, n = blacklisted.size(); i < n; i++) {
            ev.blacklisted.add(blacklisted.get(i));
            ev.blacklistedTargets.add(target);
        }
    }
}
