package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.elf.ElfBuilder;

/** A module tree under a temporary root: {@code <root>/lib/modules/1.0}. */
final class TestTree {
    static final String KVER = "1.0";
    final Path root;
    final Path dir;
    final List<IndexProblem> problems = new ArrayList<>();

    TestTree(Path root) throws IOException {
        this.root = root;
        this.dir = root.resolve("lib/modules/" + KVER);
        Files.createDirectories(dir);
    }

    TestTree module(String relpath, ElfBuilder b) throws IOException {
        b.writeTo(dir.resolve(relpath));
        return this;
    }

    TestTree file(String name, String contents) throws IOException {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.write(dir.resolve(name), contents.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    IndexBuilder builder() {
        return IndexBuilder.of(root, KVER).reporter(problems::add);
    }

    ModuleIndex build() throws Exception {
        return builder().build();
    }

    String render(ModuleIndex index, String file) {
        return new String(new IndexWriter(index, problems::add).render(file), StandardCharsets.ISO_8859_1);
    }

    List<String> errors() {
        return problems.stream().filter(p -> p.severity() == IndexProblem.Severity.ERROR).map(IndexProblem::message).toList();
    }
}
