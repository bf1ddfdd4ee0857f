/**
 * autoprobe's core: the module reader, the index, the resolver, the kernel calls and the kmod
 * tools. Exported: what the other modules use. Not exported: decompression ({@code compress}) and
 * the appended signature ({@code sign}), which only the ELF reader calls.
 */
module org.autoprobe.core {
    requires com.sun.jna;
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;

    exports org.autoprobe.core.config;
    exports org.autoprobe.core.elf;
    exports org.autoprobe.core.errno;
    exports org.autoprobe.core.index;
    exports org.autoprobe.core.index.trie;
    exports org.autoprobe.core.kernel;
    exports org.autoprobe.core.load;
    exports org.autoprobe.core.match;
    exports org.autoprobe.core.module;
    exports org.autoprobe.core.resolve;
    exports org.autoprobe.core.root;
    exports org.autoprobe.core.sys;
    exports org.autoprobe.core.text;
    exports org.autoprobe.core.tools;
}
