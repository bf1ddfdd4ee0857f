package org.autoprobe.daemon.control;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is on the other end of a Unix stream socket, from {@code SO_PEERCRED}. Java gives the peer
 * as a user principal (a name); comparing it with the principal of uid 0 tells root exactly (the
 * comparison is by user id, so another name for uid 0 is root too).
 */
final class PeerCredentials {
    private static final UserPrincipal ROOT = root();

    private PeerCredentials() {
    }

    private static UserPrincipal root() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The peer's user: its name, and 0 for root, the number when the name is one, else -1. */
    static Peer of(SocketChannel channel) throws IOException {
        UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal user = p.user();
        String name = user.getName();
        if (ROOT != null && ROOT.equals(user)) {
            return new Peer(name, 0);
        }
        try {
            return new Peer(name, Integer.parseInt(name));
        } catch (NumberFormatException e) {
            return new Peer(name, name.equals("root") ? 0 : -1);
        }
    }

    /** @param uid 0 for root, -1 when not root and the number is unknown */
    record Peer(String name, int uid) {
    }
}
