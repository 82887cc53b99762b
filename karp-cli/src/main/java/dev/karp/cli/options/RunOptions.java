package dev.karp.cli.options;

import dev.karp.config.Setting;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Every option of {@code karp run}: UCarp's long and short options (ucarp-spec §5) so a ucarp command line works
 * unchanged, plus karp's own. Values are kept as typed; {@link dev.karp.config.ConfigLoader} parses and checks
 * them together with the environment and the {@code --config} file, so all sources share one set of rules and
 * messages. The names match {@link Setting}, which a test checks.
 */
public final class RunOptions {
    @Option(names = {"-i", "--interface"}, paramLabel = "NAME", order = 1,
            description = "Interface to run on (default: the one holding the default route).")
    String interfaceName;

    @Option(names = {"-s", "--srcip"}, paramLabel = "ADDRESS", order = 2,
            description = "This node's address, the adverts' source (default: the interface's first IPv4 address).")
    String srcip;

    @Option(names = {"-v", "--vhid"}, paramLabel = "1..255", order = 3,
            description = "Virtual host id, the same on every node of the group (default: 10, as kube-karp).")
    String vhid;

    @Option(names = {"-p", "--pass"}, paramLabel = "PASSWORD", order = 4,
            description = "Password, 1..19 bytes. Visible in ps: prefer --password-file.")
    String pass;

    @Option(names = {"-o", "--passfile", "--password-file"}, paramLabel = "FILE", order = 5,
            description = "Read the password from the file's first line (only the newline is removed, as in UCarp).")
    String passfile;

    @Option(names = "--vip", paramLabel = "ADDRESS[/PREFIX]", order = 6,
            description = "The virtual IP. Without a prefix: the prefix of the interface subnet holding it, else /32.")
    String vip;

    @Option(names = {"-a", "--addr"}, paramLabel = "ADDRESS", order = 7,
            description = "The virtual IP, UCarp's spelling (no prefix; derived as for --vip).")
    String addr;

    @Option(names = {"-b", "--advbase"}, paramLabel = "SECONDS", order = 8,
            description = "Advertisement interval base, 0..255 (default: 1).")
    String advbase;

    @Option(names = {"-k", "--advskew"}, paramLabel = "0..255", order = 9,
            description = "Advertisement skew: higher is less preferred (default: 0).")
    String advskew;

    @Option(names = {"-r", "--deadratio"}, paramLabel = "1..255", order = 10,
            description = "Missed intervals before a backup takes over (default: 3).")
    String deadratio;

    @Option(names = {"-P", "--preempt"}, order = 11,
            description = "Take over from a less preferred master.")
    boolean preempt;

    @Option(names = {"-n", "--neutral"}, order = 12,
            description = "Do not run the downscript when starting as backup.")
    boolean neutral;

    @Option(names = {"-u", "--upscript"}, paramLabel = "FILE", order = 13,
            description = "Run on becoming master, as: FILE INTERFACE VIP [XPARAM]. karp adds the VIP itself.")
    String upscript;

    @Option(names = {"-d", "--downscript"}, paramLabel = "FILE", order = 14,
            description = "Run on becoming backup, as: FILE INTERFACE VIP [XPARAM]. karp removes the VIP itself.")
    String downscript;

    @Option(names = {"-x", "--xparam"}, paramLabel = "VALUE", order = 15,
            description = "Extra argument passed to the scripts as $3.")
    String xparam;

    @Option(names = {"-z", "--shutdown"}, order = 16,
            description = "Accepted for UCarp compatibility: karp always steps down and cleans up on SIGTERM/SIGINT.")
    boolean shutdown;

    @Option(names = {"-S", "--ignoreifstate"}, order = 17,
            description = "Ignore the interface's carrier state.")
    boolean ignoreifstate;

    @Option(names = {"-M", "--nomcast"}, order = 18,
            description = "Send adverts to the Ethernet broadcast address and join no multicast group.")
    boolean nomcast;

    @Option(names = {"--mcastip", "--mcast"}, paramLabel = "ADDRESS", order = 19,
            description = "Multicast group of the adverts (default: 224.0.0.18).")
    String mcastip;

    @Option(names = {"-D", "--debug"}, order = 20,
            description = "Log debug lines (every advert, timers).")
    boolean debug;

    @Option(names = {"-f", "--facility"}, paramLabel = "NAME", order = 21,
            description = "Accepted for UCarp compatibility and ignored: karp logs to standard error.")
    String facility;

    @Option(names = {"-B", "--daemonize"}, order = 22, hidden = true,
            description = "Refused: karp stays in the foreground (run it from systemd or as a container).")
    boolean daemonize;

    @Option(names = "--config", paramLabel = "FILE", order = 23,
            description = "YAML file of options (keys: long option names); flags and environment override it.")
    String config;

    @Option(names = "--status-addr", paramLabel = "ADDRESS:PORT|off", order = 24,
            description = "Where the JSON status endpoint listens (default: 127.0.0.1:9241).")
    String statusAddr;

    @Option(names = "--garp-count", paramLabel = "1..10", order = 25,
            description = "Gratuitous ARP frames per occasion (default: 1, as UCarp).")
    String garpCount;

    @Option(names = "--script-timeout", paramLabel = "DURATION", order = 26,
            description = "Kill an up/down script after this long, e.g. 30s, 500ms, 2m (default: 30s).")
    String scriptTimeout;

    @Option(names = "--metrics-addr", paramLabel = "ADDRESS:PORT", order = 36,
            description = "Serve Prometheus metrics on http://ADDRESS:PORT/metrics (default: off).")
    String metricsAddr;

    @Option(names = "--health-url", paramLabel = "URL|off", order = 27,
            description = "Probe this URL (GET); while it fails the node is demoted, e.g. https://127.0.0.1:6443/readyz"
                    + " for the local API server. Any HTTP answer counts as alive (see --health-expect-status).")
    String healthUrl;

    @Option(names = "--health-exec", paramLabel = "COMMAND", order = 28,
            description = "Run this command with /bin/sh -c instead; exit status 0 is healthy.")
    String healthExec;

    @Option(names = "--health-interval", paramLabel = "DURATION", order = 29,
            description = "Start a probe this often (default: 1s; 100ms..10m).")
    String healthInterval;

    @Option(names = "--health-timeout", paramLabel = "DURATION", order = 30,
            description = "A probe still running after this fails and is cut off (default: 1s; 10ms..10m).")
    String healthTimeout;

    @Option(names = "--health-fails", paramLabel = "1..100", order = 31,
            description = "Failed probes in a row that demote the node (default: 2).")
    String healthFails;

    @Option(names = "--health-rises", paramLabel = "1..100", order = 32,
            description = "Good probes in a row that end the demotion (default: 2).")
    String healthRises;

    @Option(names = "--health-expect-status", paramLabel = "CODE", order = 33,
            description = "Only this HTTP status is healthy (default: any answer; a 401/403 still proves the server"
                    + " answers).")
    String healthExpectStatus;

    @Option(names = "--health-ca", paramLabel = "FILE", order = 34,
            description = "Verify the https server with these PEM certificates (default: a loopback URL is not"
                    + " verified, any other one with the system's trust store).")
    String healthCa;

    @Option(names = "--rt-priority", paramLabel = "1..99|off", order = 35,
            description = "Run the protocol loop with this real-time (SCHED_RR) priority, so a busy CPU cannot delay"
                    + " adverts; needs CAP_SYS_NICE, else nice -10 or nothing is tried (default: 10 with --advbase 0,"
                    + " else off).")
    String rtPriority;

    /** The options given on the command line, as typed; {@code "true"} for a switch that was given. */
    public Map<Setting, String> given() {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        put(m, Setting.INTERFACE, interfaceName);
        put(m, Setting.SRCIP, srcip);
        put(m, Setting.VHID, vhid);
        put(m, Setting.PASS, pass);
        put(m, Setting.PASSFILE, passfile);
        put(m, Setting.VIP, vip);
        put(m, Setting.ADDR, addr);
        put(m, Setting.ADVBASE, advbase);
        put(m, Setting.ADVSKEW, advskew);
        put(m, Setting.DEADRATIO, deadratio);
        flag(m, Setting.PREEMPT, preempt);
        flag(m, Setting.NEUTRAL, neutral);
        put(m, Setting.UPSCRIPT, upscript);
        put(m, Setting.DOWNSCRIPT, downscript);
        put(m, Setting.XPARAM, xparam);
        flag(m, Setting.SHUTDOWN, shutdown);
        flag(m, Setting.IGNOREIFSTATE, ignoreifstate);
        flag(m, Setting.NOMCAST, nomcast);
        put(m, Setting.MCASTIP, mcastip);
        flag(m, Setting.DEBUG, debug);
        put(m, Setting.FACILITY, facility);
        flag(m, Setting.DAEMONIZE, daemonize);
        put(m, Setting.CONFIG, config);
        put(m, Setting.STATUS_ADDR, statusAddr);
        put(m, Setting.GARP_COUNT, garpCount);
        put(m, Setting.SCRIPT_TIMEOUT, scriptTimeout);
        put(m, Setting.METRICS_ADDR, metricsAddr);
        put(m, Setting.HEALTH_URL, healthUrl);
        put(m, Setting.HEALTH_EXEC, healthExec);
        put(m, Setting.HEALTH_INTERVAL, healthInterval);
        put(m, Setting.HEALTH_TIMEOUT, healthTimeout);
        put(m, Setting.HEALTH_FAILS, healthFails);
        put(m, Setting.HEALTH_RISES, healthRises);
        put(m, Setting.HEALTH_EXPECT_STATUS, healthExpectStatus);
        put(m, Setting.HEALTH_CA, healthCa);
        put(m, Setting.RT_PRIORITY, rtPriority);
        return m;
    }

    private static void put(Map<Setting, String> m, Setting s, String value) {
        if (value != null) {
            m.put(s, value);
        }
    }

    private static void flag(Map<Setting, String> m, Setting s, boolean on) {
        if (on) {
            m.put(s, "true");
        }
    }
}
