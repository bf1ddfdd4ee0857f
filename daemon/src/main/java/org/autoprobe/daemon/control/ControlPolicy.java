package org.autoprobe.daemon.control;

import java.util.Locale;

/**
 * Who may ask what on the control socket: any local user may query (status, resolve, explain);
 * only root (uid 0) may make the daemon act (reload, coldplug).
 */
final class ControlPolicy {
    /** Who a command is for. */
    enum Access {
        ANYONE,
        ROOT
    }

    private ControlPolicy() {
    }

    /** The access a command (its first word, any case) needs; unknown commands need none (they fail as unknown). */
    static Access required(String command) {
        return switch (command.toLowerCase(Locale.ROOT)) {
            case "reload", "coldplug" -> Access.ROOT;
            default -> Access.ANYONE;
        };
    }

    /** Whether a peer with the numeric user id {@code uid} (from {@code SO_PEERCRED}) may run {@code command}. */
    static boolean permits(String command, int uid) {
        return required(command) == Access.ANYONE || uid == 0;
    }
}
