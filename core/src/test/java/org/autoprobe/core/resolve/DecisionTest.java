package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.autoprobe.core.testing.InMemoryDatabase;
import org.junit.jupiter.api.Test;

class DecisionTest {
    private static InMemoryDatabase db() {
        return new InMemoryDatabase()
                .module("kernel/drivers/net/e1000.ko")
                .module("kernel/drivers/net/8139cp.ko")
                .module("kernel/drivers/net/8139too.ko")
                .module("kernel/sound/snd_pcsp.ko")
                .alias("pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too")
                .alias("platform:pcspkr", "snd_pcsp")
                .builtin("ext4")
                .builtinAlias("fs-ext4", "ext4");
    }

    private static List<String> words(Decision d) {
        return d.modules().stream().map(e -> e.name() + "=" + e.reason().word()).toList();
    }

    @Test
    void eachModuleGetsItsReason() {
        Conf conf = new Conf().blacklist("8139cp").alias("acpi:FOO0001:*", "missing_driver")
                .install("snd_pcsp", "/bin/true");
        Resolver r = new Resolver(db(), conf.build(), ModuleState.nothingLoaded());
        ModuleState e1000Live = Set.of("e1000")::contains;

        assertEquals(List.of("e1000=loaded"), words(Decision.of(r, "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00", e1000Live)));
        assertEquals(List.of("e1000=would-load"), words(Decision.of(r, "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00",
                ModuleState.nothingLoaded())));
        Decision realtek = Decision.of(r, "pci:v000010ECd00008139sv0sd0bc02sc00i00", ModuleState.nothingLoaded());
        assertEquals(List.of("8139cp=blacklisted", "8139too=would-load"), words(realtek));
        assertEquals(List.of("8139too"), realtek.wanted());
        assertEquals(Reason.WOULD_LOAD, realtek.summary());
        assertEquals(List.of("ext4=built-in"), words(Decision.of(r, "fs-ext4", ModuleState.nothingLoaded())));
        assertEquals(List.of("missing_driver=alias-to-missing"), words(Decision.of(r, "acpi:FOO0001:", ModuleState.nothingLoaded())));
        assertEquals(List.of("snd_pcsp=install-command"), words(Decision.of(r, "platform:pcspkr", ModuleState.nothingLoaded())));
        Decision none = Decision.of(r, "usb:v1234p5678d0100dc00dsc00dp00ic03isc01ip01in00", ModuleState.nothingLoaded());
        assertEquals(List.of(), none.modules());
        assertEquals(Reason.NO_MATCH, none.summary());
    }

    @Test
    void onlyBlacklistedModulesSummariseAsBlacklisted() {
        Resolver r = new Resolver(db(), new Conf().blacklist("8139cp").blacklist("8139too").build(), ModuleState.nothingLoaded());
        Decision d = Decision.of(r, "pci:v000010ECd00008139sv0sd0bc02sc00i00", ModuleState.nothingLoaded());
        assertEquals(Reason.BLACKLISTED, d.summary());
        assertEquals(List.of(), d.wanted());
        // resolve's answer with the blacklist applied is the decision's wanted list
        assertEquals(r.resolve("pci:v000010ECd00008139sv0sd0bc02sc00i00", true), d.wanted());
    }
}
