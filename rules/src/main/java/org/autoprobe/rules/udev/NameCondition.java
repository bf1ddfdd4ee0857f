package org.autoprobe.rules.udev;

/**
 * The rules' tests and uses of a device's name and path ({@code KERNEL}, {@code DEVPATH}, {@code %k},
 * {@code %n}, {@code %p}), replayable from text for another path: the daemon's boot plan notes them
 * ({@link UeventView#nameTested}, {@link UeventView#nameUsed}) and checks them again when it finds a
 * planned device under another name (a USB bus or SCSI host numbered otherwise at this boot).
 */
public final class NameCondition {
    private NameCondition() {
    }

    /** The device's kernel name (udev's sysname) for {@code devpath}: its last component, {@code !} as {@code /}. */
    public static String kernelOf(String devpath) {
        if (devpath == null) {
            return null;
        }
        String name = devpath.substring(devpath.lastIndexOf('/') + 1);
        return name.indexOf('!') < 0 ? name : name.replace('!', '/');
    }

    /** udev's {@code %n}: the kernel name's trailing decimal digits ("" when none). */
    static String numberOf(String kernel) {
        if (kernel == null) {
            return "";
        }
        int i = kernel.length();
        while (i > 0 && kernel.charAt(i - 1) >= '0' && kernel.charAt(i - 1) <= '9') {
            i--;
        }
        return kernel.substring(i);
    }

    /**
     * What a {@code %k} ({@code kernel}), {@code %n} ({@code number}) or {@code %p} ({@code devpath})
     * gives for {@code devpath}; null for another name.
     */
    public static String value(String what, String devpath) {
        return switch (what) {
            case "kernel" -> kernelOf(devpath);
            case "number" -> numberOf(kernelOf(devpath));
            case "devpath" -> devpath;
            default -> null;
        };
    }

    /**
     * Whether a test {@link UeventView#nameTested} was told of holds for {@code value}.
     *
     * @param spec the test's text: {@code ==} or {@code !=}, then {@code i} (case-insensitive) or
     *             {@code -}, then the rule's value
     * @throws IllegalArgumentException when {@code spec} is not such a text
     */
    public static boolean test(String spec, String value) {
        if (spec.length() < 3 || spec.charAt(1) != '=' || (spec.charAt(0) != '=' && spec.charAt(0) != '!')
                || (spec.charAt(2) != 'i' && spec.charAt(2) != '-')) {
            throw new IllegalArgumentException("not a name test: '" + spec + "'");
        }
        return StringMatcher.compile(spec.substring(3), spec.charAt(0) == '!', spec.charAt(2) == 'i', false, true)
                .test(value);
    }
}
