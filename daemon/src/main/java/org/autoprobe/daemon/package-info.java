/**
 * The resident autoloader ({@code autoprobe daemon}) and its one-shot form ({@code autoprobe coldplug}).
 *
 * <h2>Flow</h2>
 * <pre>
 * UeventSocket ─▶ UeventReader (socket thread: copy into the ring, never waits for a load)
 *                     │                      Coldplug.walk (synthetic "add" per /sys/devices entry)
 *                     ▼                      ────────────────┐
 *               Disruptor ring (preallocated RingEvents, each a UeventSlot copy; MULTI producer)
 *                     ▼
 *                     ▼  one consumer thread (waits: a few spins, yields up to 1 ms, then sleeps)
 *               RulesStage: current Generation's RuleSet → kmod load targets → CachingResolver (by MODALIAS)
 *                     ▼  (same thread)
 *               LoadDispatcher: settled modules cost a lookup; the rest go, in per-devpath order,
 *                     ▼         to the LoadCoordinator
 *               LoadCoordinator: bounded worker pool; one load per module (in flight shared, finished
 *                                remembered per generation); PlanExecutor → Kernel (finit_module)
 * </pre>
 *
 * <ul>
 *   <li>{@link org.autoprobe.daemon.generation}: a {@code Generation} (rules + caching resolver over
 *       one index and configuration + sysfs view) is immutable and swapped whole on reload; events
 *       take the generation once, in the rules stage, and their loads plan with it.</li>
 *   <li>{@link org.autoprobe.daemon.pipeline}: the ring and its stages. A stage that throws marks the
 *       event failed (Disruptor {@code ExceptionHandler}) and goes on. Steady state allocates
 *       nothing per event (strings interned per stage, PipelineTest checks it; measured by
 *       {@code UeventPipelineBenchmark}, latency by {@code UeventLatencyBenchmark}).</li>
 *   <li>{@link org.autoprobe.daemon.load}: the coordinator, results, counters, and a recording
 *       kernel for dry runs. A failed load is logged once (device, MODALIAS, module, errno) and
 *       remembered until a new generation or an explicit coldplug. The kernel's
 *       {@code remove@/module/NAME} uevent makes the next request load NAME again.</li>
 *   <li>{@link org.autoprobe.daemon.coldplug}: walk (default) or {@code --trigger}
 *       ({@code add <uuid>} into every uevent file; completion counted by SYNTH_UUID). Always
 *       after the socket is bound. A socket overflow (ENOBUFS) runs a walk again, after forgetting
 *       which loads are done (the lost events may have announced modules going away); one during the
 *       start's coldplug runs it before READY. After each coldplug, {@code Reprobe} asks the kernel to
 *       probe again an unbound device whose module is already live (a load interrupted half-way,
 *       e.g. the daemon killed while a driver probed).</li>
 *   <li>{@link org.autoprobe.daemon.control}: {@code /run/autoprobe/control}, a Unix stream
 *       socket, one line in, lines out ending with {@code OK} or {@code ERR message}; anyone may
 *       ask {@code status}, {@code metrics}, {@code timeline}, {@code resolve ALIAS...},
 *       {@code explain DEVPATH|MODALIAS|MODULE}; root (uid 0 by the
 *       number {@code SO_PEERCRED} gives, never by a name) may ask {@code reload}, {@code coldplug}.
 *       One {@code poll} thread accepts, reads and writes without blocking; each connection has
 *       10 s from accept to the end of its answer; at most 8 open connections per user other than
 *       root, 64 for all of them, 32 for root, more get {@code ERR busy}; root's requests run on
 *       their own handler threads. Out of descriptors, new connections are accepted and closed at
 *       once (a spare descriptor makes room). Invalid lines (control bytes, not UTF-8, over 4096
 *       bytes) get {@code ERR invalid request: ...}; whatever a client can cause is logged through
 *       token buckets ({@code RateLimitedLog}). The socket path is not taken over: a non-socket
 *       there, or a socket a daemon answers on, fails the start; on stop it is removed only while
 *       it is still the socket bound (device and inode).</li>
 *   <li>{@link org.autoprobe.daemon.sys}: the Unix datagram socket (JNA) for systemd's
 *       {@code NOTIFY_SOCKET}: {@code READY=1} as the start begins when asked to ({@code readyAtStart}: the
 *       unit's way, as udevd's), {@code STATUS=coldplug}, then {@code READY=1} once coldplug settled,
 *       {@code RELOADING=1}/{@code READY=1} around reloads, {@code STOPPING=1}; the Unix stream
 *       socket of the control server and its client ({@code UnixStreamListener},
 *       {@code UnixStreamSocket}: {@code accept4}, {@code SO_PEERCRED}, a spare descriptor,
 *       {@code Poll}, {@code Wakeup}).</li>
 *   <li>{@link org.autoprobe.daemon.service}: {@code Daemon} ties it together; SIGHUP (via
 *       {@code Signals}, by reflection: {@code sun.misc.Signal} named directly does not compile
 *       under {@code -Xlint:all -Werror}) and file changes ({@code IndexWatcher}) reload; SIGTERM
 *       stops: socket closed, ring drained, running loads given a bounded wait.
 *       {@code Reloader} builds each new generation on a thread of its own, outside every lock, within
 *       a timeout (30 s; then abandoned, systemd told {@code READY=1} again); a stop never waits for
 *       it. A generation that could not read its index ({@code modules.dep.bin},
 *       {@code modules.alias.bin}) or a configuration or rules source (I/O error, too many open
 *       files, a file gone while read) does not replace a complete one: the old one stays, one
 *       warning says why, and the reload is retried after 1, 2, 4 ... 60 s (a file change or SIGHUP
 *       retries at once); bad lines or skipped files (a FIFO, a device, a file over 4 MiB) are not
 *       such failures. At the first start there is nothing to keep: an incomplete generation 1 is
 *       used, said once, and retried. {@code autoprobe status} shows {@code reload.ok},
 *       {@code reload.failed}, {@code reload.last_failure}, {@code reload.next_retry},
 *       {@code generation.unreadable}.</li>
 *   <li>{@link org.autoprobe.daemon.metrics}: decisions by reason and the load time histogram (told by
 *       the coordinator's {@code LoadObserver}), the Prometheus text (the Prometheus client's writer)
 *       and the metrics file, replaced atomically ({@code --metrics-file}).</li>
 *   <li>{@link org.autoprobe.daemon.timeline}: one coldplug's events and loads, bounded, and their
 *       SVG drawing ({@code coldplug --timeline}, {@code status --timeline}).</li>
 * </ul>
 */
package org.autoprobe.daemon;
