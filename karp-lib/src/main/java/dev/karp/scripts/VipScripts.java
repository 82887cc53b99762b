package dev.karp.scripts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The configured up and down scripts with UCarp's arguments (ucarp-spec §4.11): {@code $1} the interface,
 * {@code $2} the VIP without prefix, {@code $3} the xparam only if one was given.
 */
public final class VipScripts {
    private final ScriptRunner runner;
    private final Optional<Path> upscript;
    private final Optional<Path> downscript;
    private final List<String> args;

    public VipScripts(ScriptRunner runner, Optional<Path> upscript, Optional<Path> downscript,
            String interfaceName, String vip, Optional<String> xparam) {
        this.runner = runner;
        this.upscript = upscript;
        this.downscript = downscript;
        this.args = arguments(interfaceName, vip, xparam);
    }

    /** UCarp's argv after the script name. */
    public static List<String> arguments(String interfaceName, String vip, Optional<String> xparam) {
        List<String> a = new ArrayList<>(List.of(interfaceName, vip));
        xparam.ifPresent(a::add);
        return List.copyOf(a);
    }

    /** Queues the upscript (on becoming MASTER), if there is one. */
    public Optional<Future<ScriptResult>> up() {
        return submit(upscript);
    }

    /** Queues the downscript (on becoming BACKUP), if there is one. */
    public Optional<Future<ScriptResult>> down() {
        return submit(downscript);
    }

    // Not Optional.map with a lambda: up() runs first on a backup's first takeover, before its GARP.
    private Optional<Future<ScriptResult>> submit(Optional<Path> script) {
        return script.isPresent() ? Optional.of(runner.submit(script.get(), args)) : Optional.empty();
    }
}
