package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.junit.jupiter.api.Test;

/** kmod_module_new_from_lookup's chain. */
class LookupTest {
    static final String RTL = "pci:v000010ECd00008139sv000010ECsd00008139bc02sc00i00";

    static InMemoryDatabase db() {
        return new InMemoryDatabase()
                .module("kernel/drivers/net/mii.ko")
                .module("kernel/drivers/net/8139cp.ko", "kernel/drivers/net/mii.ko")
                .module("kernel/drivers/net/8139too.ko", "kernel/drivers/net/mii.ko")
                .module("kernel/fs/ext4/ext4.ko")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too")
                .alias("pci:v000010ECd00008139sv*sd*bc02sc00i*", "8139cp")
                .alias("pci:v*d*sv*sd*bc02sc00i*", "8139too")
                .alias("fs-ext4", "ext4")
                .alias("mii", "ext4")
                .symbol("mii_link_ok", "mii")
                .builtin("crc32c_generic")
                .builtinAlias("crypto-crc32c", "crc32c_generic");
    }

    static List<ModuleMatch> lookup(InMemoryDatabase db, ModprobeConfig conf, String s) {
        return new Resolver(db, conf, ModuleState.nothingLoaded()).lookup(s);
    }

    static ModuleMatch m(String name, String alias, LookupSource source) {
        return new ModuleMatch(name, alias, source);
    }

    @Test
    void moduleNameIsFoundAndInputDashesBecomeUnderscores() {
        assertEquals(List.of(m("ext4", null, LookupSource.MODULE_NAME)), lookup(db(), ModprobeConfig.EMPTY, "ext4"));
        InMemoryDatabase db = db().module("kernel/drivers/foo_bar.ko");
        assertEquals(List.of(m("foo_bar", null, LookupSource.MODULE_NAME)), lookup(db, ModprobeConfig.EMPTY, "foo-bar"));
    }

    @Test
    void dashesInsideBracketsAreKept() {
        InMemoryDatabase db = new InMemoryDatabase().module("kernel/x.ko").alias("a*b-c", "x");
        // the looked-up string (the alias the module carries) keeps its "[-]" and loses the other '-'
        assertEquals(List.of(m("x", "a[-]b_c", LookupSource.INDEX_ALIAS)), lookup(db, ModprobeConfig.EMPTY, "a[-]b-c"));
    }

    @Test
    void unbalancedBracketsFindNothing() {
        assertEquals(List.of(), lookup(db(), new Conf().alias("*", "ext4").build(), "a[b"));
        assertEquals(List.of(), lookup(db(), new Conf().alias("*", "ext4").build(), "a]b"));
    }

    @Test
    void firstNonEmptySourceWinsNameBeforeIndexAlias() {
        // "mii" is both a module name and an index alias of ext4: the name wins
        assertEquals(List.of(m("mii", null, LookupSource.MODULE_NAME)), lookup(db(), ModprobeConfig.EMPTY, "mii"));
    }

    @Test
    void configAliasesComeFirstByGlobInConfigOrderAndHideTheIndex() {
        ModprobeConfig conf = new Conf().alias("pci:v000010ECd*", "nosuchmod").alias("mii", "ext4")
                .alias("pci:*", "8139cp").build();
        assertEquals(List.of(m("nosuchmod", "pci:v000010ECd*", LookupSource.CONFIG_ALIAS),
                m("8139cp", "pci:*", LookupSource.CONFIG_ALIAS)), lookup(db(), conf, RTL));
        assertEquals(List.of(m("ext4", "mii", LookupSource.CONFIG_ALIAS)), lookup(db(), conf, "mii"));
    }

    @Test
    void configAliasTargetsAreNotLookedUpAgain() {
        ModprobeConfig conf = new Conf().alias("myfs", "fs_ext4").build();
        assertEquals(List.of(m("fs_ext4", "myfs", LookupSource.CONFIG_ALIAS)), lookup(db(), conf, "myfs"));
    }

    @Test
    void moduleNameSourceIsSkippedForStringsWithColon() {
        InMemoryDatabase db = db().depLine("a:b", "kernel/a.ko:");
        assertEquals(List.of(), lookup(db, ModprobeConfig.EMPTY, "a:b"));
    }

    @Test
    void symbolSourceOnlyForItsPrefix() {
        assertEquals(List.of(m("mii", "symbol:mii_link_ok", LookupSource.SYMBOL)),
                lookup(db(), ModprobeConfig.EMPTY, "symbol:mii_link_ok"));
        InMemoryDatabase db = db().alias("symbol:x", "ext4");
        // a symbol: string not in modules.symbols falls through to index aliases
        assertEquals(List.of(m("ext4", "symbol:x", LookupSource.INDEX_ALIAS)), lookup(db, ModprobeConfig.EMPTY, "symbol:x"));
    }

    @Test
    void commandSourceTakesFirstExactInstallElseFirstRemove() {
        ModprobeConfig conf = new Conf().install("fake*", "/bin/a").install("fakemod", "/bin/b")
                .install("fakemod", "/bin/c").remove("rmonly", "/bin/r").remove("fakemod", "/bin/d").build();
        Resolver r = new Resolver(db(), conf, ModuleState.nothingLoaded());
        assertEquals(List.of(m("fakemod", null, LookupSource.COMMAND)), r.lookup("fakemod"));
        assertEquals(List.of(m("rmonly", null, LookupSource.COMMAND)), r.lookup("rmonly"));
        // a glob install line does not make a name found
        assertEquals(List.of(), r.lookup("fakeother"));
        // the install command the lookup found is the one planned (exact line, not the earlier glob)
        LoadPlan plan = r.plan("fakemod", ProbeFlags.showDepends(), null).get(0);
        assertEquals("/bin/b", plan.steps().get(0).command());
    }

    @Test
    void indexAliasesKeepDuplicatesInPriorityOrder() {
        assertEquals(List.of(m("8139cp", RTL, LookupSource.INDEX_ALIAS), m("8139too", RTL, LookupSource.INDEX_ALIAS),
                m("8139too", RTL, LookupSource.INDEX_ALIAS)), lookup(db(), ModprobeConfig.EMPTY, RTL));
    }

    @Test
    void builtinThenBuiltinAliasComeLast() {
        assertEquals(List.of(m("crc32c_generic", null, LookupSource.BUILTIN)),
                lookup(db(), ModprobeConfig.EMPTY, "crc32c_generic"));
        assertEquals(List.of(m("crc32c_generic", "crypto_crc32c", LookupSource.BUILTIN_ALIAS)),
                lookup(db(), ModprobeConfig.EMPTY, "crypto-crc32c"));
        InMemoryDatabase db = db().alias("crypto-crc32c", "ext4");
        assertEquals(LookupSource.INDEX_ALIAS, lookup(db, ModprobeConfig.EMPTY, "crypto-crc32c").get(0).source());
    }

    @Test
    void aliasLikeSourcesAreTheOnesCarryingAnAlias() {
        for (LookupSource s : LookupSource.values()) {
            boolean expected = s == LookupSource.CONFIG_ALIAS || s == LookupSource.SYMBOL
                    || s == LookupSource.INDEX_ALIAS || s == LookupSource.BUILTIN_ALIAS;
            assertEquals(expected, s.aliasLike(), s.name());
        }
        assertTrue(lookup(db(), ModprobeConfig.EMPTY, "nothing").isEmpty());
    }

    @Test
    void resolveListsEachNameOnceAndCanApplyTheBlacklistToNames() {
        Resolver r = new Resolver(db(), new Conf().blacklist("8139cp").blacklist("ext4").build(),
                ModuleState.nothingLoaded());
        assertEquals(List.of("8139cp", "8139too"), r.resolve(RTL, false));
        assertEquals(List.of("8139too"), r.resolve(RTL, true));
        assertEquals(List.of(), r.resolve("ext4", true));
        assertEquals(RTL + "\t8139too", r.resolveLine(RTL, true));
        assertEquals("nothing\t-", r.resolveLine("nothing", true));
    }
}
