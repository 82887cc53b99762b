package dev.karp.daemon;

import dev.karp.carp.CarpPassword;
import dev.karp.net.Cidr;
import dev.karp.scripts.ScriptRunner;
import dev.karp.scripts.VipScripts;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What one CARP group needs to run: already checked, host defaults already resolved. {@link dev.karp.VipFailover}
 * builds it from its builder; the CLI never builds one itself. Printing it is safe: the password shows as a mask.
 *
 * @param interfaceName the interface the group runs on
 * @param srcip         this node's address, the adverts' IP source; it also breaks ties between equal intervals
 * @param vhid          1..255
 * @param password      the shared secret of the HMAC
 * @param vip           the virtual address with the prefix it is added with
 * @param advbase       0..255 seconds
 * @param advskew       0..255
 * @param deadratio     1..255
 * @param preempt       take over from a less preferred master
 * @param neutral       leave a VIP found at start alone until a master is heard; no downscript at start
 * @param ignoreifstate do not watch the interface's carrier
 * @param nomcast       send adverts to the Ethernet broadcast address and join no group
 * @param mcastip       the adverts' destination group
 * @param debug         log every advert and drop
 * @param garpCount     gratuitous ARP frames per occasion
 * @param upscript      run on becoming MASTER
 * @param downscript    run on becoming BACKUP
 * @param xparam        passed to the scripts as {@code $3}
 */
public record GroupConfig(
        String interfaceName,
        Inet4Address srcip,
        int vhid,
        CarpPassword password,
        Cidr vip,
        int advbase,
        int advskew,
        int deadratio,
        boolean preempt,
        boolean neutral,
        boolean ignoreifstate,
        boolean nomcast,
        Inet4Address mcastip,
        boolean debug,
        int garpCount,
        Optional<Path> upscript,
        Optional<Path> downscript,
        Optional<String> xparam) {

    public GroupConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(srcip, "srcip");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(mcastip, "mcastip");
        Objects.requireNonNull(upscript, "upscript");
        Objects.requireNonNull(downscript, "downscript");
        Objects.requireNonNull(xparam, "xparam");
    }

    /** The VIP as UCarp passes it to scripts as {@code $2}: dotted decimal, without prefix. */
    public String vipText() {
        return vip.address().getHostAddress();
    }

    /** The group's up and down scripts with UCarp's arguments, run by {@code runner}. */
    public VipScripts scripts(ScriptRunner runner) {
        return new VipScripts(runner, upscript, downscript, interfaceName, vipText(), xparam);
    }

    /** The VIP with its prefix, e.g. {@code 10.200.0.100/24}. */
    public String vipCidr() {
        return vip.toString();
    }
}
