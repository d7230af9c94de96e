package io.weft.controller;

import ch.qos.logback.classic.Level;
import io.weft.controller.store.DamagedStoreException;
import io.weft.controller.store.MvStore;
import io.weft.controller.store.StoreOpenException;
import io.weft.ovsdb.SslConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code weft} command. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "weft " + WeftRuntime.VERSION,
        description = "Weft: an SDN controller for container overlay networks on Open vSwitch.",
        subcommands = {WeftMain.ControllerCommand.class})
public final class WeftMain {

    /** When main began (this class is initialized just before): where the start-up timeline leaves the JVM. */
    private static final long MAIN_NANOS = System.nanoTime();

    public static void main(String[] args) {
        // picocli's properties default provider reads the file named by this property; --config names it.
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                System.setProperty("picocli.defaults.controller.path", args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                System.setProperty("picocli.defaults.controller.path", args[i].substring("--config=".length()));
            }
        }
        CommandLine weft = new CommandLine(new WeftMain());
        for (WeftCommand contributed : java.util.ServiceLoader.load(WeftCommand.class)) {
            weft.addSubcommand(contributed);
        }
        weft.setExecutionExceptionHandler((e, command, parsed) -> {
            // A refused configuration says what to change in one line; anything else keeps its stack trace.
            command.getErr().println("weft: " + e.getMessage());
            if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException)) {
                e.printStackTrace(command.getErr());
            }
            return 1;
        });
        System.exit(weft.execute(args));
    }

    @Command(name = "controller", mixinStandardHelpOptions = true,
            description = "Run the controller: REST northbound, OVSDB and OpenFlow southbound, reconciler.",
            defaultValueProvider = CommandLine.PropertiesDefaultProvider.class)
    static final class ControllerCommand implements Callable<Integer> {

        /** Exit status when the store cannot be used (damaged, or in use by another process). */
        static final int STORE_REFUSED = 3;
        private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(WeftMain.class);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--rest-listen", defaultValue = "127.0.0.1:8080",
                description = "REST API address: HOST:PORT or http://HOST:PORT, or https://HOST:PORT to serve HTTPS "
                        + "with --tls-cert/--tls-key (default: ${DEFAULT-VALUE}). Beyond loopback the API needs "
                        + "https:// and --rest-tokens, or --insecure.")
        String restListen;

        @Option(names = "--rest-tokens", description = "File of the REST API's bearer tokens, one a line: TOKEN "
                + "SCOPE NAME, scope admin (every request) or read (GET only). GET /health stays open for "
                + "liveness probes.")
        Path restTokens;

        @Option(names = "--insecure", description = "Serve the REST API beyond loopback without HTTPS or tokens "
                + "(anyone who reaches it can change every network).")
        boolean insecure;

        @Option(names = "--openflow-listen", split = ",", defaultValue = "tcp:0.0.0.0:6653",
                description = "OpenFlow listen targets: tcp:IP:PORT, ssl:IP:PORT (with the --tls-* files; a switch's "
                        + "certificate must be signed by --tls-ca), unix:PATH (default: ${DEFAULT-VALUE}).")
        List<String> openflowListen;

        @Option(names = "--openflow-advertise",
                description = "Controller target written into bridges (default: the first unix: listen target, "
                        + "else tcp:127.0.0.1 with the listen port).")
        String openflowAdvertise;

        @Option(names = "--ovsdb-listen",
                description = "Passive OVSDB listener for hosts that run ovs-vsctl set-manager: ptcp:PORT[:IP], "
                        + "pssl:PORT[:IP] (with the --tls-* files; a host's certificate must be signed by --tls-ca) "
                        + "or punix:PATH.")
        String ovsdbListen;

        @Option(names = "--ovsdb-allow", split = ",", paramLabel = "SYSTEM-ID",
                description = "System-ids that may connect to --ovsdb-listen without a certificate (on pssl:, a "
                        + "certificate signed by --tls-ca is enough). Others are refused.")
        List<String> ovsdbAllow;

        @Option(names = "--ovsdb-allow-file", paramLabel = "FILE",
                description = "A file of more such system-ids, one per line (# comments), read again when it changes.")
        Path ovsdbAllowFile;

        @Option(names = "--ovsdb-max-message-mib", defaultValue = "16",
                description = "Largest OVSDB message taken from a host, in MiB (default: ${DEFAULT-VALUE}; a "
                        + "1000-port host's largest is about 0.5 MiB).")
        int ovsdbMaxMessageMib;

        @Option(names = "--ovsdb-buffer-budget-mib", defaultValue = "128",
                description = "MiB of unfinished OVSDB messages all connections together may hold; a connection "
                        + "that would exceed it is closed (default: ${DEFAULT-VALUE}).")
        long ovsdbBufferBudgetMib;

        @Option(names = "--openflow-require-known",
                description = "Serve only switches whose datapath id is the br-int of a registered host; refuse "
                        + "others (default: serve every switch, listing unknown ones under /switches).")
        boolean openflowRequireKnown;

        @Option(names = "--audit-interval-ms", defaultValue = "2000",
                description = "How often each idle host's switch is checked for flows changed behind Weft's back "
                        + "(which are then repaired), in ms (default: ${DEFAULT-VALUE}; 0: never, for debugging).")
        long auditIntervalMs;

        @Option(names = "--dns-upstream", paramLabel = "IP[:PORT]", description = "Where containers' DNS queries "
                + "for names that are not their network's are forwarded (UDP, port 53 by default); without it they "
                + "are refused.")
        String dnsUpstream;

        @Option(names = "--data-dir", defaultValue = "/var/lib/weft",
                description = "Directory of the embedded store (default: ${DEFAULT-VALUE}); not used with --store.")
        Path dataDir;

        @Option(names = "--store", paramLabel = "etcd://HOST:PORT[,HOST:PORT...][/PREFIX]",
                description = "Keep the state in this etcd cluster instead of the embedded store in --data-dir; every "
                        + "controller replica of one deployment is given the same value (key prefix default /weft). "
                        + "Writes are refused (503) while etcd has no quorum; a key Weft cannot read stops the start "
                        + "with exit status " + STORE_REFUSED + " and is fixed in etcd.")
        String store;

        @Option(names = "--replica-id", paramLabel = "ID", description = "This replica's id among the replicas "
                + "sharing --store (default: its --rest-listen address).")
        String replicaId;

        @Option(names = "--leader-lease-seconds", defaultValue = "3", paramLabel = "SECONDS",
                description = "With --store: the TTL of the leader's etcd lease (default: ${DEFAULT-VALUE}). It bounds "
                        + "how long a dead, paused or partitioned leader holds the switches before another replica "
                        + "takes over, and how long a leader that cannot reach etcd goes on programming them.")
        int leaderLeaseSeconds;

        @Option(names = "--discard-damaged-state", description = "If the store in --data-dir is damaged (truncated, "
                + "altered, or missing although it held state), set its files aside (renamed with a .damaged-TIME "
                + "suffix) and start with no hosts, networks or endpoints. Without it, a damaged store stops the "
                + "controller with exit status " + STORE_REFUSED + " and a message saying what is wrong; nothing is "
                + "changed, on disk or on the hosts. Embedded store only: does not apply with --store.")
        boolean discardDamagedState;

        @Option(names = "--underlay-mtu", defaultValue = "1500",
                description = "MTU of the hosts' underlay; network MTUs default to it minus the tunnel overhead.")
        int underlayMtu;

        @Option(names = "--tls-cert", description = "PEM certificate of this controller, for every TLS channel "
                + "(OpenFlow ssl:, OVSDB ssl:/pssl:, REST HTTPS); with --tls-key and --tls-ca.")
        Path tlsCert;

        @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
        Path tlsKey;

        @Option(names = "--tls-ca", description = "PEM CA certificate that peers' certificates must be signed by.")
        Path tlsCa;

        @Option(names = "--log-level", defaultValue = "info", description = "error, warn, info, debug or trace.")
        String logLevel;

        @Option(names = "--exit-when-started", description = "Start everything, then stop at once (exit status 0): "
                + "checks that the configuration, the store and the listeners are usable. bin/weft also runs it once "
                + "after each build, with a scratch data directory, to record the JVM's class-data archive.")
        boolean exitWhenStarted;

        @Option(names = "--config", description = "A properties file whose keys are these options' names without "
                + "the leading dashes, e.g. data-dir=/srv/weft.")
        Path config;

        @Override
        public Integer call() throws Exception {
            StartupTimeline timeline = StartupTimeline.sinceProcessStart(MAIN_NANOS);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(Level.toLevel(logLevel, Level.INFO));
            if (store != null && discardDamagedState) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--discard-damaged-state applies to the "
                        + "embedded store only: with --store, fix or delete the etcd key the controller names");
            }
            ControllerSettings settings = new ControllerSettings(restListen, openflowListen,
                    openflowAdvertise != null ? openflowAdvertise : defaultAdvertise(openflowListen),
                    Optional.ofNullable(ovsdbListen), dataDir, underlayMtu, tls(), Optional.ofNullable(restTokens),
                    insecure,
                    new SouthboundSettings(ovsdbAllow == null ? java.util.Set.of() : java.util.Set.copyOf(ovsdbAllow),
                            Optional.ofNullable(ovsdbAllowFile),
                            openflowRequireKnown, Math.multiplyExact(ovsdbMaxMessageMib, 1 << 20),
                            Math.multiplyExact(ovsdbBufferBudgetMib, 1L << 20)),
                    java.time.Duration.ofMillis(auditIntervalMs),
                    Optional.ofNullable(dnsUpstream).map(io.weft.controller.names.Upstream::parse),
                    Optional.ofNullable(store).map(io.weft.controller.etcd.EtcdTarget::parse),
                    new io.weft.controller.cluster.ReplicaSettings(Optional.ofNullable(replicaId),
                            java.time.Duration.ofSeconds(leaderLeaseSeconds)));
            WeftRuntime runtime;
            try {
                timeline.done("options");
                runtime = startOnIntactStore(settings, timeline);
            } catch (StoreOpenException e) {
                String orDiscard = " Or, to start with no hosts, networks or endpoints, run with "
                        + "--discard-damaged-state (the damaged files are kept, with a .damaged-TIME suffix).";
                spec.commandLine().getErr().println("weft: " + e.getMessage()
                        + (e instanceof DamagedStoreException ? orDiscard : ""));
                return STORE_REFUSED;
            }
            if (exitWhenStarted) {
                runtime.close();
                return 0;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                runtime.close();
                stopped.countDown();
            }, "weft-shutdown"));
            stopped.await();
            return 0;
        }

        /** Starts the runtime; a damaged store is refused, or set aside with --discard-damaged-state. */
        private WeftRuntime startOnIntactStore(ControllerSettings settings, StartupTimeline timeline) {
            try {
                return WeftRuntime.start(settings, timeline);
            } catch (DamagedStoreException e) {
                if (!discardDamagedState) {
                    throw e;
                }
                List<Path> kept = MvStore.setAsideDamaged(e.dataDir());
                LOG.warn("--discard-damaged-state: {}; the damaged files are kept as {}; starting with no hosts, "
                        + "networks or endpoints", e.problem(), kept);
                return WeftRuntime.start(settings, timeline);
            }
        }

        /** All three TLS files or none; each must be a readable file. */
        Optional<SslConfig> tls() {
            if (tlsCert == null && tlsKey == null && tlsCa == null) {
                return Optional.empty();
            }
            if (tlsCert == null || tlsKey == null || tlsCa == null) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "TLS needs all of --tls-cert, --tls-key and --tls-ca");
            }
            for (Path p : List.of(tlsCert, tlsKey, tlsCa)) {
                if (!Files.isReadable(p) || !Files.isRegularFile(p)) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "TLS file " + p
                            + " is not a readable file");
                }
            }
            return Optional.of(new SslConfig(tlsKey, tlsCert, tlsCa));
        }

        static String defaultAdvertise(List<String> listen) {
            return listen.stream().filter(t -> t.startsWith("unix:")).findFirst()
                    .orElseGet(() -> listen.get(0).replace("0.0.0.0", "127.0.0.1"));
        }
    }
}
