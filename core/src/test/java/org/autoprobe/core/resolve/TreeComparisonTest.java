package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.resolve.TreeComparison.Change;
import org.autoprobe.core.resolve.TreeComparison.Entry;
import org.autoprobe.core.resolve.TreeComparison.Result;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.junit.jupiter.api.Test;

/**
 * Two small trees as a kernel upgrade changes them: a SCSI driver dropped, a NIC's second driver gone
 * and its first renamed, a new driver for a device nobody served, and the rest unchanged.
 */
class TreeComparisonTest {
    static final String RTL = "pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00";
    static final String SCSI = "pci:v00001000d00000012sv00000000sd00001000bc01sc00i00";
    static final String SDHCI = "pci:v00001B36d00000007sv00001AF4sd00001100bc08sc05i01";
    static final String E1000 = "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00";
    static final String NOTHING = "acpi:PNP0A03:";

    /** The old tree: 8139cp and 8139too for the RTL8139, sym53c8xx for the SCSI card, e1000, no SD host driver. */
    static InMemoryDatabase older() {
        return new InMemoryDatabase()
                .module("kernel/drivers/net/8139cp.ko")
                .module("kernel/drivers/net/8139too.ko")
                .module("kernel/drivers/scsi/sym53c8xx.ko")
                .module("kernel/drivers/net/e1000.ko")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too")
                .alias("pci:v00001000d00000012sv*sd*bc*sc*i*", "sym53c8xx")
                .alias("pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000");
    }

    /** The new tree: sym53c8xx gone, 8139too gone and 8139cp now rtl8139, an SD host driver, e1000 as before. */
    static InMemoryDatabase newer() {
        return new InMemoryDatabase()
                .module("kernel/drivers/net/rtl8139.ko")
                .module("kernel/drivers/mmc/sdhci_pci.ko")
                .module("kernel/drivers/net/e1000.ko")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "rtl8139")
                .alias("pci:v*d*sv*sd*bc08sc05i*", "sdhci_pci")
                .alias("pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000");
    }

    static TreeComparison comparison(InMemoryDatabase from, InMemoryDatabase to, ModprobeConfig config) {
        return new TreeComparison(new Resolver(from, config, ModuleState.nothingLoaded()),
                new Resolver(to, config, ModuleState.nothingLoaded()));
    }

    static Entry entry(Result r, String modalias) {
        return r.entries().stream().filter(e -> e.modalias().equals(modalias)).findFirst().orElseThrow();
    }

    @Test
    void lostGainedChangedAndSameAreTold() {
        Result r = comparison(older(), newer(), ModprobeConfig.EMPTY)
                .add(RTL, null).add(SCSI, null).add(SDHCI, null).add(E1000, null).add(NOTHING, null).compare();
        assertEquals(new Entry(SCSI, List.of("sym53c8xx"), List.of(), Change.LOST, List.of()), entry(r, SCSI));
        assertEquals(new Entry(RTL, List.of("8139cp", "8139too"), List.of("rtl8139"), Change.CHANGED, List.of()), entry(r, RTL));
        assertEquals(new Entry(SDHCI, List.of(), List.of("sdhci_pci"), Change.GAINED, List.of()), entry(r, SDHCI));
        assertEquals(new Entry(E1000, List.of("e1000"), List.of("e1000"), Change.SAME, List.of()), entry(r, E1000));
        assertEquals(new Entry(NOTHING, List.of(), List.of(), Change.SAME, List.of()), entry(r, NOTHING));
        assertEquals(Map.of(Change.LOST, 1, Change.CHANGED, 1, Change.GAINED, 1, Change.SAME, 2), r.counts());
    }

    @Test
    void lossesComeFirstThenChangesGainsAndTheSameEachByModalias() {
        Result r = comparison(older(), newer(), ModprobeConfig.EMPTY)
                .add(NOTHING, null).add(E1000, null).add(SDHCI, null).add(RTL, null).add(SCSI, null).compare();
        assertEquals(List.of(SCSI, RTL, SDHCI, NOTHING, E1000), r.entries().stream().map(Entry::modalias).toList());
    }

    @Test
    void theReverseUpgradeGainsWhatWasLost() {
        Result r = comparison(newer(), older(), ModprobeConfig.EMPTY).add(SCSI, null).add(SDHCI, null).compare();
        assertEquals(Change.GAINED, entry(r, SCSI).change());
        assertEquals(Change.LOST, entry(r, SDHCI).change());
    }

    @Test
    void theBlacklistAppliesOnBothSidesAsUdevAppliesIt() {
        // 8139too blacklisted: the old tree serves the RTL8139 with 8139cp alone
        ModprobeConfig config = new Conf().blacklist("8139too").blacklist("sdhci_pci").build();
        Result r = comparison(older(), newer(), config).add(RTL, null).add(SDHCI, null).compare();
        assertEquals(List.of("8139cp"), entry(r, RTL).from());
        assertEquals(List.of("rtl8139"), entry(r, RTL).to());
        // blacklisted in the new tree: no module for the SD host on either side
        assertEquals(new Entry(SDHCI, List.of(), List.of(), Change.SAME, List.of()), entry(r, SDHCI));
    }

    @Test
    void aConfigAliasOnBothSidesHidesTheIndexes() {
        ModprobeConfig config = new Conf().alias("pci:v00001000d00000012*", "my_scsi").build();
        Result r = comparison(older(), newer(), config).add(SCSI, null).compare();
        assertEquals(new Entry(SCSI, List.of("my_scsi"), List.of("my_scsi"), Change.SAME, List.of()), entry(r, SCSI));
    }

    @Test
    void anotherOrderOfTheSameModulesIsAChange() {
        InMemoryDatabase reordered = new InMemoryDatabase()
                .module("kernel/drivers/net/8139too.ko")
                .module("kernel/drivers/net/8139cp.ko")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp");
        Entry e = entry(comparison(older(), reordered, ModprobeConfig.EMPTY).add(RTL, null).compare(), RTL);
        assertEquals(List.of("8139too", "8139cp"), e.to());
        assertEquals(Change.CHANGED, e.change());
    }

    @Test
    void aBuiltinAliasOnTheNewSideIsStillAModule() {
        InMemoryDatabase builtin = new InMemoryDatabase().builtin("e1000").builtinAlias("pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000");
        Entry e = entry(comparison(older(), builtin, ModprobeConfig.EMPTY).add(E1000, null).compare(), E1000);
        assertEquals(Change.SAME, e.change());
    }

    @Test
    void eachModaliasOnceWithEverySourceThatHoldsIt() {
        TreeComparison c = comparison(older(), newer(), ModprobeConfig.EMPTY)
                .add(SCSI, "fleet/a").add(RTL, "fleet/a").add(SCSI, "fleet/b").add(SCSI, "fleet/a").add(SCSI, null);
        assertEquals(2, c.size());
        Result r = c.compare();
        assertEquals(List.of("fleet/a", "fleet/b"), entry(r, SCSI).sources());
        assertEquals(List.of("fleet/a"), entry(r, RTL).sources());
        assertTrue(r.any(Change.LOST));
        assertFalse(r.any(Change.GAINED));
    }

    @Test
    void nothingAddedComparesToNothing() {
        Result r = comparison(older(), newer(), ModprobeConfig.EMPTY).compare();
        assertEquals(List.of(), r.entries());
        assertEquals(Map.of(Change.LOST, 0, Change.CHANGED, 0, Change.GAINED, 0, Change.SAME, 0), r.counts());
    }

    @Test
    void theWordsArePrintedInLowerCase() {
        assertEquals(List.of("lost", "changed", "gained", "same"), List.of(Change.values()).stream().map(Change::word).toList());
    }

    @Test
    void aDriverBuiltIntoTheNewKernelIsAChangeNotALoss() {
        // Debian 13 builds virtio_pci in, without aliases in modules.builtin.modinfo: the lookup finds nothing
        InMemoryDatabase to = newer().builtin("sym53c8xx");
        Result r = comparison(older(), to, ModprobeConfig.EMPTY).add(SCSI, null).add(RTL, null).compare();
        assertEquals(new Entry(SCSI, List.of("sym53c8xx"), List.of(), Change.CHANGED, List.of(), List.of("sym53c8xx")),
                entry(r, SCSI));
        assertEquals(List.of(), entry(r, RTL).builtIn());
        assertEquals(false, r.any(Change.LOST));
        // one of two modules built in, the other gone: still lost
        InMemoryDatabase partly = new InMemoryDatabase().builtin("8139cp");
        Result p = comparison(older(), partly, ModprobeConfig.EMPTY).add(RTL, null).compare();
        assertEquals(Change.LOST, entry(p, RTL).change());
        assertEquals(List.of(), entry(p, RTL).builtIn());
    }
}
