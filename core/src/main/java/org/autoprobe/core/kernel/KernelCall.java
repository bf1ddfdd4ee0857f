package org.autoprobe.core.kernel;

/** The calls that reach the kernel on a module's behalf, as failures name them. */
public enum KernelCall {
    OPEN("open"),
    READ("read"),
    FINIT_MODULE("finit_module"),
    INIT_MODULE("init_module"),
    DELETE_MODULE("delete_module");

    private final String text;

    KernelCall(String text) {
        this.text = text;
    }

    /** The call's C name. */
    public String text() {
        return text;
    }

    /** Whether the call inserts a module. */
    public boolean inserts() {
        return this == FINIT_MODULE || this == INIT_MODULE;
    }
}
