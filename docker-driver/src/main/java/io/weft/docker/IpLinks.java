package io.weft.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link Links} with iproute2, in the network namespace where dockerd runs: the agent's own, unless {@code --netns}
 * names another, as on emulated hosts.
 */
public final class IpLinks implements Links {

    private final Optional<Path> netns;

    public IpLinks(Optional<Path> netns) {
        this.netns = netns;
    }

    @Override
    public void createVeth(String hostSide, String containerSide, int mtu, boolean txChecksumOff) {
        run("ip", "link", "add", hostSide, "mtu", Integer.toString(mtu), "type", "veth", "peer", "name",
                containerSide, "mtu", Integer.toString(mtu));
        try {
            if (txChecksumOff) {
                run("ethtool", "-K", containerSide, "tx", "off");
            }
            run("ip", "link", "set", hostSide, "up");
        } catch (PluginException e) {
            deleteIfPresent(hostSide);
            throw e;
        }
    }

    @Override
    public void deleteIfPresent(String name) {
        if (exists(name)) {
            run("ip", "link", "del", name);
        }
    }

    private boolean exists(String name) {
        return exec(List.of("ip", "link", "show", "dev", name)).status == 0;
    }

    private void run(String... argv) {
        Result r = exec(List.of(argv));
        if (r.status != 0) {
            throw new PluginException(String.join(" ", argv) + " failed: " + r.output.strip());
        }
    }

    private record Result(int status, String output) {
    }

    private Result exec(List<String> argv) {
        List<String> command = new ArrayList<>();
        netns.ifPresent(ns -> command.addAll(List.of("nsenter", "--net=" + ns)));
        command.addAll(argv);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish in 10 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
