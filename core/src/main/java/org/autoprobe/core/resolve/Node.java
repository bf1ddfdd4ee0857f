package org.autoprobe.core.resolve;

import java.util.List;

/**
 * One module object of a resolution session, with the lazily filled fields and the per-probe marks
 * libkmod keeps on its module objects. Identity matters: a module reached by name and the same
 * module reached through an alias are two objects, as in libkmod's pool.
 */
final class Node {
    final String name;
    final String alias;

    String path;
    boolean depInit;
    List<Node> deps = List.of();

    Boolean builtin;

    boolean optionsInit;
    String options;

    boolean installInit;
    String install;

    boolean removeInit;
    String remove;

    boolean visited;
    boolean required;
    boolean ignoreCommand;

    Node(String name, String alias) {
        this.name = name;
        this.alias = alias;
    }

    @Override
    public String toString() {
        return alias == null ? name : name + "\\" + alias;
    }
}
