package org.autoprobe.daemon.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs handlers for POSIX signals through {@code sun.misc.Signal} (module jdk.unsupported).
 * Reached by reflection: a direct reference compiles only with a "proprietary API" warning that
 * cannot be suppressed, and the build turns warnings into errors.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    /**
     * Runs {@code action} (on the JVM's signal thread: keep it short) whenever signal {@code name}
     * ({@code HUP}, {@code TERM}, {@code INT}) arrives, instead of the JVM's default.
     *
     * @return whether the handler was installed
     */
    public static boolean handle(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object sig = signal.getConstructor(String.class).newInstance(name);
            InvocationHandler ih = (Object proxy, Method m, Object[] args) -> {
                if (m.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (m.getName()) {
                    case "toString" -> "autoprobe SIG" + name + " handler";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                };
            };
            Object h = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, ih);
            signal.getMethod("handle", signal, handler).invoke(null, sig, h);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("cannot handle SIG{}: {}", name, e.toString());
            return false;
        }
    }
}
