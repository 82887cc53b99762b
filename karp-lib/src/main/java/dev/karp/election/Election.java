package dev.karp.election;

import dev.karp.election.Action.AddVip;
import dev.karp.election.Action.ArmTimer;
import dev.karp.election.Action.CancelTimer;
import dev.karp.election.Action.RemoveVip;
import dev.karp.election.Action.SendAdvert;
import dev.karp.election.Action.SendGratuitousArp;
import dev.karp.election.Action.StateChanged;
import dev.karp.election.Action.Stopped;
import dev.karp.time.Durations;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The CARP election of one node for one vhid, as UCarp runs it (ucarp-spec §4), as a pure state
 * machine: {@link #handle(Event)} takes one event and returns the actions the daemon must carry out,
 * in order. No I/O, no threads, no clock reads. Not thread-safe: the daemon calls it from one thread.
 *
 * <p>Every state change goes through {@link #transitionTo}, which also emits the VIP action the
 * change implies, so AddVip/RemoveVip always agree with the state. Timers are deadlines kept here;
 * after each event the engine tells the daemon the single next wake-up it needs ({@link ArmTimer}).
 *
 * <p>Deliberate differences from UCarp are listed in docs/protocol.md ("Election"): monotonic time,
 * master-down exactly at its deadline, immediate reactions, a bow-out advert on shutdown, demotion by
 * health with advskew {@value Timing#DEMOTED_ADVSKEW}, and a master-down rule for advbase 0.
 */
public final class Election {

    /** ucarp-spec §4.7 step 4 and §6: the delayed GARP goes out right after the 2nd later advert. */
    private static final int DELAYED_ARP_ADVERTS = 2;

    /** ucarp-spec §4.10: CARP_SENDAD_MAX_ERRORS and CARP_SENDAD_MIN_SUCCESS. */
    private static final int SEND_ERRORS_TO_SUPPRESS = 3;
    private static final int SEND_SUCCESSES_TO_RECOVER = 3;

    /** A MASTER's advert may go this fraction of its interval early (advertEarlyNanos), at most: */
    private static final long ADVERT_EARLY_FRACTION = 50;
    private static final long MAX_EARLY_NANOS = 20_000_000L;
    private static final long MAX_EARLY_FAST_NANOS = 1_000_000L;

    private final ElectionConfig config;
    private final long claimNanos;

    private State state = State.INIT;
    private long since;
    private InetAddress master;
    private boolean healthy = true;
    private boolean linkUp = true;
    private boolean stopped;

    // Deadlines are monotonic nanos; any long is a valid time, so "armed" flags stand for "none".
    private boolean advertScheduled;
    private long advertDeadline;
    /** The master-down timer counts from this time; its length follows the current advskew. */
    private boolean masterDownArmed;
    private long masterDownFrom;
    /** A bow-out was heard: master-down is due at {@link #bowOutDeadline}, advskew/256 s after it. */
    private boolean bowOutWait;
    private long bowOutDeadline;
    private java.net.InetAddress bowOutFrom;
    /**
     * A backup whose master-down timer expired claims the role first ({@link Timing#claimNanos}): it has sent an
     * advert and takes over at {@link #claimDeadline} unless a preferred node's advert comes first.
     */
    private boolean claiming;
    private long claimDeadline;
    private String claimReason;
    /** The advert interval of the master this backup follows; 0 when it follows none (yet). */
    private long followedIntervalNanos;
    /** How late the followed master's adverts arrive: the guard of the advbase-0 rule. */
    private final ArrivalLateness lateness = new ArrivalLateness();
    /** What the daemon's one-shot timer is set to, so that ArmTimer is only emitted on a change. */
    private boolean daemonTimerArmed;
    private long daemonTimerDeadline;

    /** Adverts left before the delayed GARP; 0 when none is pending (ucarp-spec §4.7, §6). */
    private int delayedArpCountdown;

    // ucarp-spec §4.10 send-error suppression.
    private int sendErrors;
    private int sendSuccesses;
    private boolean sendErrorsSuppressed;

    /**
     * @throws IllegalArgumentException if the configuration is invalid (see
     *     {@link ElectionConfig#validate()})
     */
    public Election(ElectionConfig config) {
        this(config, Timing.claimNanos(Objects.requireNonNull(config, "config").advbase()));
    }

    /**
     * @param claimNanos how long a backup claims the role before it takes the VIP after master-down
     *                   ({@link Timing#claimNanos}); 0 takes over at once, as UCarp does
     * @throws IllegalArgumentException if the configuration is invalid, or claimNanos is negative
     */
    public Election(ElectionConfig config, long claimNanos) {
        this.config = Objects.requireNonNull(config, "config").validate();
        if (claimNanos < 0) {
            throw new IllegalArgumentException("claimNanos " + claimNanos + " is negative");
        }
        this.claimNanos = claimNanos;
    }

    /**
     * Applies one event and returns what the daemon must do, in order. After {@link Action.Stopped}
     * every event is ignored (empty list).
     */
    public List<Action> handle(Event event) {
        Objects.requireNonNull(event, "event");
        if (stopped) {
            return List.of();
        }
        var out = new ArrayList<Action>();
        long now = event.nowNanos();
        if (event instanceof Event.Start) {
            onStart(now, out);
        } else if (event instanceof Event.AdvertReceived advert) {
            onAdvert(advert, out);
        } else if (event instanceof Event.TimerFired fired) {
            onTimer(now, fired.earlyNanos(), out);
        } else if (event instanceof Event.ShutdownRequested) {
            onShutdown(now, out);
        } else if (event instanceof Event.HealthChanged health) {
            onHealth(health.healthy(), now, out);
        } else if (event instanceof Event.LinkChanged link) {
            onLink(link.up(), now, out);
        } else if (event instanceof Event.SendFailed) {
            onSendResult(false, now, out);
        } else if (event instanceof Event.SendSucceeded) {
            onSendResult(true, now, out);
        } else if (event instanceof Event.Stalled stalled) {
            onStalled(stalled, now, out);
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        if (!stopped) {
            syncTimer(out);
        }
        return List.copyOf(out);
    }

    public State state() {
        return state;
    }

    /**
     * The master this node believes in: its own address when MASTER, the source of the last
     * accepted advert when BACKUP, or null (INIT, stopped, link down, or no advert heard yet).
     */
    public InetAddress master() {
        return master;
    }

    /** Monotonic time of the last state change (the Start event's time for BACKUP); 0 before Start. */
    public long since() {
        return since;
    }

    /**
     * The advskew this node advertises and compares with now: the configured one, or
     * {@value Timing#DEMOTED_ADVSKEW} while unhealthy or while send errors are suppressed and the
     * configured one is lower (ucarp-spec §4.1 S', §4.10).
     */
    public int advskew() {
        boolean demoted = !healthy || sendErrorsSuppressed;
        return demoted && config.advskew() < Timing.DEMOTED_ADVSKEW ? Timing.DEMOTED_ADVSKEW : config.advskew();
    }

    /**
     * How much before its deadline a MASTER's advert may go when the daemon is awake anyway
     * ({@link Event.TimerFired#earlyNanos()}): a fiftieth of the advert interval, at most 20 ms, and at most 1 ms at
     * advbase 0, whose sub-second backups measure how late adverts arrive (ArrivalLateness). 0 when not MASTER: a
     * backup's master-down never fires early.
     */
    public long advertEarlyNanos() {
        if (state != State.MASTER) {
            return 0;
        }
        long interval = Timing.advertIntervalNanos(config.advbase(), advskew());
        return Math.min(interval / ADVERT_EARLY_FRACTION, config.advbase() == 0 ? MAX_EARLY_FAST_NANOS : MAX_EARLY_NANOS);
    }

    public boolean healthy() {
        return healthy;
    }

    public boolean linkUp() {
        return linkUp;
    }

    /** True once {@link Action.Stopped} was emitted. */
    public boolean stopped() {
        return stopped;
    }

    public ElectionConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Election[" + state + (stopped ? " stopped" : "") + ", advskew " + advskew()
                + (linkUp ? "" : ", link down") + (master == null ? "" : ", master " + master.getHostAddress()) + "]";
    }

    // ---- events ------------------------------------------------------------------------------

    private void onStart(long now, List<Action> out) {
        // A second Start changes nothing: the node is already running.
        if (state != State.INIT) {
            return;
        }
        // ucarp-spec §4.2 steps 6-7: INIT -> BACKUP (the VIP is removed unless --neutral, which
        // transitionTo does), then arm master-down. With no carrier there is no timer until the
        // link comes up (§4.8).
        transitionTo(State.BACKUP, "start", now, out);
        if (linkUp) {
            armMasterDown(now);
        }
    }

    private void onAdvert(Event.AdvertReceived advert, List<Action> out) {
        long now = advert.nowNanos();
        // Before Start and without carrier the node takes no part (ucarp-spec §4.5: INIT ignores
        // adverts; §4.8: nothing is processed while IFF_RUNNING is clear).
        if (state == State.INIT || !linkUp) {
            return;
        }
        // ucarp-spec §1.6 step 2: our own adverts are never processed (UCarp filters them in BPF).
        if (config.isOwn(advert.src())) {
            return;
        }
        int ownVsPeer = Timing.compareTv(config.advbase(), advskew(), advert.advbase(), advert.advskew());
        if (state == State.BACKUP) {
            onAdvertAsBackup(advert, ownVsPeer, now, out);
        } else {
            onAdvertAsMaster(advert, ownVsPeer, now, out);
        }
    }

    private void onAdvertAsBackup(Event.AdvertReceived advert, int ownVsPeer, long now, List<Action> out) {
        if (claiming) {
            // Another backup claims too (its master-down expired in the same instant as ours): the master's
            // tie-break decides before either takes the VIP. A less preferred one follows our claim advert; we
            // follow a preferred one by the rules below.
            if (preference(advert, ownVsPeer) <= 0) {
                return;
            }
            claiming = false;
        }
        if (bowOutWait && advert.src().equals(bowOutFrom)) {
            // An advert the master sent before its bow-out, overtaken on the way: it is leaving all the same.
            return;
        }
        boolean bowOut = advert.advbase() == Timing.BOW_OUT_ADVBASE && advert.advskew() == Timing.BOW_OUT_ADVSKEW;
        if (bowOut && master != null && !advert.src().equals(master) && sameFamily(master, advert.src())) {
            // karp: the bow-out of a node this backup does not follow. With unicast peers each gets a copy of its
            // own, and the advert of the node that took over from it may arrive first; this backup follows that
            // node, which is alive, so the late bow-out changes nothing (taking over on it gave two holders for an
            // advert interval in the unicast soak). The other family's copy may come from the followed node's
            // other address, so only a same-family source counts as another node.
            return;
        }
        long skew = Timing.tvNanos(0, advskew());
        if (bowOut && skew > 0) {
            // karp, as VRRP's Skew_Time for a priority-0 advert (RFC 5798 §6.4.2): every backup hears a
            // bow-out, so each waits advskew/256 s; the first one's advert reaches the others before their
            // turn and they follow it, instead of all taking over at once (two holders until they hear it).
            armMasterDown(now);
            bowOutDeadline = now + skew;
            bowOutWait = true;
            bowOutFrom = advert.src();
            master = null;
            unfollow();
            return;
        }
        // ucarp-spec §4.5 rule 1, preemption: with --preempt, a backup that advertises strictly
        // more often than the master takes over now. Equal intervals never preempt.
        if (config.preempt() && ownVsPeer < 0) {
            masterDown(now, "preemption: " + describe(advert) + ", slower than our " + ownValues(), out);
            return;
        }
        // ucarp-spec §4.5 rule 2, "will time out": if the master's next advert would come after
        // our master-down timer expires, treat it as down now. This is what makes a bow-out advert
        // (255/255) hand over at once to a backup at advskew 0 (cap 15; others wait, above). karp compares with its own master-down interval,
        // which is UCarp's deadratio·advbase + advskew/256 for advbase ≥ 1 (Timing#masterDownNanos).
        long masterDown = Timing.masterDownNanos(config.advbase(), advskew(), config.deadratio());
        long interval = Timing.tvNanos(advert.advbase(), advert.advskew());
        if (masterDown < interval) {
            masterDown(now, "master will time out: " + describe(advert)
                    + ", slower than our master-down interval " + seconds(masterDown), out);
            return;
        }
        // ucarp-spec §4.5 rule 3: otherwise the master is alive; wait for its next advert. The
        // peer's source address plays no role in BACKUP.
        follow(advert, interval);
    }

    private void onAdvertAsMaster(Event.AdvertReceived advert, int ownVsPeer, long now, List<Action> out) {
        int preference = preference(advert, ownVsPeer);
        if (preference == 0) {
            return;
        }
        // ucarp-spec §4.6 test 1, yield: the peer advertises more often, or equally often from a
        // lower address in x86 order. Send one last advert with our own values, so that the new
        // master learns it must reassert with a GARP, then become BACKUP and wait for it.
        if (preference > 0) {
            out.add(new SendAdvert(config.advbase(), advskew()));
            String why = ownVsPeer != 0
                    ? "preferred master advertised: " + describe(advert) + ", faster than our " + ownValues()
                    : "preferred master advertised: " + describe(advert)
                            + ", same interval and a lower address in UCarp's (x86) order";
            transitionTo(State.BACKUP, why, now, out);
            follow(advert, Timing.tvNanos(advert.advbase(), advert.advskew()));
            return;
        }
        // ucarp-spec §4.6 test 2, reassert: a less preferred master is advertising; answer with a
        // GARP now and one more right after the 2nd following advert. No extra advert (UCarp sends none).
        out.add(new SendGratuitousArp());
        delayedArpCountdown = DELAYED_ARP_ADVERTS;
    }

    private void onTimer(long now, long earlyNanos, List<Action> out) {
        // The daemon's timer is one-shot: it is spent now whatever happens below.
        daemonTimerArmed = false;
        // MASTER: advertise when the advert is due (ucarp-spec §4.4). The next one keeps the
        // cadence of the schedule rather than of the (possibly late) wake-up.
        if (state == State.MASTER && advertScheduled && isDue(advertDeadline, now)) {
            advertiseAsMaster(advertDeadline, now, out);
            return;
        }
        // karp: a MASTER's advert a little early, on a wake-up for another group of the interface. The next one
        // counts from now, so that groups sent together stay together: their adverts keep sharing one wake-up
        // instead of drifting back to a wake-up each (issue 14). Backups wait three intervals for an advert; one
        // that comes a fiftieth of an interval early changes nothing for them.
        if (state == State.MASTER && advertScheduled && isDue(advertDeadline - Math.min(earlyNanos,
                advertEarlyNanos()), now)) {
            advertiseAsMaster(now, now, out);
            return;
        }
        // BACKUP: the master-down event fires exactly at its deadline (karp; UCarp only looks at
        // it when its loop wakes, ucarp-spec §4.4).
        if (state == State.BACKUP && claiming && isDue(claimDeadline, now)) {
            claiming = false;
            masterDown(now, claimReason + ", and no preferred node answered our claim within "
                    + seconds(claimNanos), out);
            return;
        }
        if (state == State.BACKUP && masterDownArmed && isDue(masterDownDeadline(), now)) {
            masterDownOrClaim(now, masterDownReason(now), out);
        }
        // A TimerFired with nothing due (early or stale) only re-arms the timer (syncTimer).
    }

    private void onShutdown(long now, List<Action> out) {
        // karp bow-out (UCarp sends none, ucarp-spec §4.9, §7.10): a master releases the VIP, then
        // announces 255/255 so that backups take over at once through their "will time out" rule.
        // In that order: a backup adds the VIP on the bow-out, and must not find it still here.
        // A backup holds nothing and simply stops.
        if (state == State.MASTER) {
            transitionTo(State.BACKUP, "shutdown: bowed out", now, out);
            out.add(new SendAdvert(Timing.BOW_OUT_ADVBASE, Timing.BOW_OUT_ADVSKEW));
        }
        clearTimers();
        master = null;
        if (daemonTimerArmed) {
            out.add(new CancelTimer());
            daemonTimerArmed = false;
        }
        stopped = true;
        out.add(new Stopped());
    }

    private void onHealth(boolean nowHealthy, long now, List<Action> out) {
        if (nowHealthy == healthy) {
            return;
        }
        healthy = nowHealthy;
        // karp demotion: an unhealthy master bows out (255/255) so that a healthy backup takes over
        // at once. It stays a candidate with advskew 240: if nobody takes over, its own master-down
        // timer makes it master again, so some node always holds the VIP. A backup only changes the
        // advskew it compares with; its master-down deadline follows (masterDownDeadline()).
        // Becoming healthy again restores the configured advskew; taking over then needs --preempt.
        if (claiming) {
            // The claim was made with the old advskew: wait for master-down with the new one (a demoted node
            // waits longer, so that a healthy backup claims first).
            claiming = false;
            masterDownArmed = true;
        }
        if (!nowHealthy && state == State.MASTER) {
            // VIP released before the bow-out, as on shutdown.
            transitionTo(State.BACKUP, "health check failed: bowed out, now advskew " + advskew(), now, out);
            out.add(new SendAdvert(Timing.BOW_OUT_ADVBASE, Timing.BOW_OUT_ADVSKEW));
            armMasterDown(now);
            return;
        }
        masterDownIfOverdue(now, out);
    }

    private void onLink(boolean up, long now, List<Action> out) {
        if (up == linkUp) {
            return;
        }
        linkUp = up;
        if (!up) {
            // ucarp-spec §4.8 carrier loss: switch to BACKUP (releasing the VIP) and clear all
            // timers: no adverts, no master-down, until carrier returns.
            if (state == State.MASTER) {
                transitionTo(State.BACKUP, "link down", now, out);
            }
            clearTimers();
            master = null;
            unfollow();
            return;
        }
        // ucarp-spec §4.8 carrier back: continue as BACKUP with master-down armed. karp reacts at
        // once (UCarp notices within 10 s).
        if (state == State.BACKUP) {
            armMasterDown(now);
        }
    }

    private void onStalled(Event.Stalled stalled, long now, List<Action> out) {
        // karp: a master whose loop stood still longer than its VIP's lifetime (SIGSTOP, a paused VM, a long GC)
        // may have lost the VIP to the kernel, and a backup may have taken over meanwhile. It must not renew the
        // VIP and fight that node: it rejoins as a node coming back does, BACKUP with master-down armed from now,
        // and follows whoever advertises (or takes over again if nobody does).
        if (state != State.MASTER) {
            return;
        }
        transitionTo(State.BACKUP, "stalled for " + seconds(stalled.stalledNanos())
                + ", longer than the VIP's lifetime allows: rejoining as a backup", now, out);
        armMasterDown(now);
    }

    private void onSendResult(boolean succeeded, long now, List<Action> out) {
        // ucarp-spec §4.10: after 3 failed writes in a row, advertise and compare with advskew 240
        // (if ours is lower) and try one extra advert at once; after 3 good writes, back to normal.
        if (!succeeded) {
            if (sendErrors < Integer.MAX_VALUE) {
                sendErrors++;
            }
            if (sendErrors == SEND_ERRORS_TO_SUPPRESS) {
                sendErrorsSuppressed = true;
                if (state == State.MASTER) {
                    advertiseAsMaster(now, now, out);
                }
            }
            sendSuccesses = 0;
            return;
        }
        if (sendErrors >= SEND_ERRORS_TO_SUPPRESS) {
            if (++sendSuccesses >= SEND_SUCCESSES_TO_RECOVER) {
                sendErrorsSuppressed = false;
                sendErrors = 0;
                masterDownIfOverdue(now, out);
            }
        } else {
            sendErrors = 0;
        }
    }

    // ---- steps shared by several events --------------------------------------------------------

    /**
     * ucarp-spec §4.7, the master-down event (BACKUP to MASTER), in UCarp's order: MASTER (VIP
     * added), GARP #1, advert #1, then the delayed GARP after advert #3.
     */
    private void masterDown(long now, String why, List<Action> out) {
        transitionTo(State.MASTER, why, now, out);
        out.add(new SendGratuitousArp());
        advertiseAsMaster(now, now, out);
        delayedArpCountdown = DELAYED_ARP_ADVERTS;
    }

    /**
     * One advert as MASTER with the current values, the delayed GARP if this advert completes its
     * countdown (ucarp-spec §4.7 step 4), and the next advert scheduled one interval after
     * {@code scheduledAt}, or after now if that is already past (no burst after a late wake-up).
     */
    private void advertiseAsMaster(long scheduledAt, long now, List<Action> out) {
        out.add(new SendAdvert(config.advbase(), advskew()));
        if (delayedArpCountdown > 0 && --delayedArpCountdown == 0) {
            out.add(new SendGratuitousArp());
        }
        long interval = Timing.advertIntervalNanos(config.advbase(), advskew());
        long next = scheduledAt + interval;
        advertDeadline = isDue(next, now) ? now + interval : next;
        advertScheduled = true;
    }

    /**
     * The only place that writes {@link #state}. It emits {@link StateChanged} and the VIP action
     * the change implies, and stops the timers of the old state; the caller arms the new state's.
     */
    private void transitionTo(State next, String why, long now, List<Action> out) {
        // Like carp_set_state(): a "transition" to the same state is a bug in this class.
        if (next == state) {
            throw new IllegalStateException("already " + state + " (" + why + ")");
        }
        // ucarp-spec §4: there is no INIT -> MASTER path; every node starts as a BACKUP.
        if (state == State.INIT && next == State.MASTER) {
            throw new IllegalStateException("INIT -> MASTER is not a CARP transition (" + why + ")");
        }
        State from = state;
        state = next;
        since = now;
        clearTimers();
        unfollow();
        out.add(new StateChanged(from, next, why));
        if (next == State.MASTER) {
            // ucarp-spec §4.7 step 1: the upscript (the VIP) comes first, before GARP and advert.
            out.add(new AddVip());
            master = config.srcip();
        } else if (from == State.MASTER) {
            // ucarp-spec §4.6, §4.8, §4.9: leaving MASTER runs the downscript.
            out.add(new RemoveVip());
            master = null;
            delayedArpCountdown = 0;
        } else if (!config.neutral()) {
            // ucarp-spec §4.2 step 6: INIT -> BACKUP runs the downscript unless --neutral, which
            // cleans up a VIP left behind by a killed process (§4.9).
            out.add(new RemoveVip());
        }
    }

    /**
     * After the advskew got shorter (healthy again, send errors over), a backup's master-down
     * interval is shorter too, and the silence so far may already exceed it: then the master is
     * down now. Arming a timer in the past instead would leave the reaction to the daemon's timer.
     */
    /**
     * How the peer of an advert compares as a master (ucarp-spec §4.6): above 0 when it is preferred (a shorter
     * interval, or the same from a lower address, compared the way UCarp on x86 compares s_addr, cap 08), below 0
     * when this node is. 0 for a dual-stack peer's other-family advert of the same interval: its advert of our family
     * breaks the tie, so that both nodes compare the same pair of addresses and exactly one yields. The addresses
     * never tie: our own adverts are never processed.
     */
    private int preference(Event.AdvertReceived advert, int ownVsPeer) {
        if (ownVsPeer != 0) {
            return ownVsPeer;
        }
        return sameFamily(config.srcip(), advert.src()) ? compareAddresses(config.srcip(), advert.src()) : 0;
    }

    private void masterDownIfOverdue(long now, List<Action> out) {
        if (state == State.BACKUP && masterDownArmed && isDue(masterDownDeadline(), now)) {
            masterDownOrClaim(now, masterDownReason(now), out);
        }
    }

    /**
     * karp: the master went silent. Backups at the same advskew (the manifests' default) heard its last advert
     * together and time out together; taking the VIP at once, each would hold it until it heard the other's
     * advert and the address decided (measured: up to 62 ms of two holders on a loaded node). So the backup first
     * claims: it advertises and waits {@link Timing#claimNanos}; a less preferred claimant hears it and follows,
     * and the preferred one (ucarp-spec §4.6's order) takes the VIP, alone. A bow-out keeps its own stagger
     * (advskew/256 s) and takes over at once.
     */
    private void masterDownOrClaim(long now, String why, List<Action> out) {
        if (claimNanos == 0 || bowOutWait) {
            masterDown(now, why, out);
            return;
        }
        masterDownArmed = false;
        master = null;
        unfollow();
        claiming = true;
        claimDeadline = now + claimNanos;
        claimReason = why;
        out.add(new SendAdvert(config.advbase(), advskew()));
    }

    private String masterDownReason(long now) {
        return bowOutWait ? "master bowed out, and no other backup took over within our advskew/256 s ("
                + seconds(now - masterDownFrom) + ")" : "master down: no advert for " + seconds(now - masterDownFrom);
    }

    private void armMasterDown(long now) {
        masterDownArmed = true;
        masterDownFrom = now;
        bowOutWait = false;
    }

    /** An advert from the master this backup now follows arrived: wait for the next one. */
    private void follow(Event.AdvertReceived advert, long intervalNanos) {
        lateness.arrived(advert.nowNanos(), advert.src(), intervalNanos, advert.counter());
        followedIntervalNanos = intervalNanos;
        armMasterDown(advert.nowNanos());
        master = advert.src();
    }

    private void unfollow() {
        followedIntervalNanos = 0;
        lateness.restart();
    }

    private void clearTimers() {
        advertScheduled = false;
        masterDownArmed = false;
        bowOutWait = false;
        claiming = false;
    }

    /**
     * The master-down interval now: UCarp's at advbase ≥ 1; at advbase 0 karp's rule for a backup
     * that follows a master, with the guard as it stood when the timer was armed, so that the
     * deadline only moves with events (an advert, a new advskew), never by itself.
     */
    public long masterDownNanos() {
        if (config.advbase() != 0 || followedIntervalNanos == 0) {
            return Timing.masterDownNanos(config.advbase(), advskew(), config.deadratio());
        }
        return Timing.subsecondMasterDownNanos(followedIntervalNanos, Timing.advertIntervalNanos(0, advskew()),
                config.deadratio(), lateness.peakNanos(masterDownFrom));
    }

    private long masterDownDeadline() {
        if (bowOutWait) {
            return bowOutDeadline;
        }
        return masterDownFrom + masterDownNanos();
    }

    /** Tells the daemon the single next wake-up this state needs, only when it changed. */
    private void syncTimer(List<Action> out) {
        boolean wanted;
        long deadline = 0;
        if (state == State.MASTER && advertScheduled) {
            wanted = true;
            deadline = advertDeadline;
        } else if (state == State.BACKUP && claiming) {
            wanted = true;
            deadline = claimDeadline;
        } else if (state == State.BACKUP && masterDownArmed) {
            wanted = true;
            deadline = masterDownDeadline();
        } else {
            wanted = false;
        }
        if (wanted && (!daemonTimerArmed || daemonTimerDeadline != deadline)) {
            out.add(new ArmTimer(deadline));
            daemonTimerArmed = true;
            daemonTimerDeadline = deadline;
        } else if (!wanted && daemonTimerArmed) {
            out.add(new CancelTimer());
            daemonTimerArmed = false;
        }
    }

    /** Overflow-safe "now ≥ deadline" for monotonic nanos (as System.nanoTime() advises). */
    private static boolean isDue(long deadline, long now) {
        return now - deadline >= 0;
    }

    /**
     * ucarp-spec §4.6, cap 08: UCarp compares {@code s_addr} as a native integer; on x86 that is
     * the address with its bytes reversed (last octet most significant), compared unsigned.
     */
    static int compareAddresses(InetAddress own, InetAddress peer) {
        if (own instanceof Inet4Address o && peer instanceof Inet4Address p) {
            return Integer.compareUnsigned(x86Order(o), x86Order(p));
        }
        // IPv6 has no UCarp behaviour to follow: the lower address in network byte order wins, as the lower
        // one in x86 order does for IPv4.
        return java.util.Arrays.compareUnsigned(own.getAddress(), peer.getAddress());
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }

    static int x86Order(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private String ownValues() {
        return "advbase " + config.advbase() + " advskew " + advskew();
    }

    private static String describe(Event.AdvertReceived advert) {
        return advert.src().getHostAddress() + " advertises advbase " + advert.advbase()
                + " advskew " + advert.advskew();
    }

    /** "0.113 s", to the millisecond; built on the takeover path, so without String.format (Durations). */
    static String seconds(long nanos) {
        return Durations.seconds(nanos) + " s";
    }
}
