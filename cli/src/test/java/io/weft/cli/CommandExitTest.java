package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a script sees: exit statuses, one line on stderr, the token sent. Against a stand-in controller. */
class CommandExitTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void aRefusalIsTheProblemsDetailOnOneLineAndItsStatusSaysWhichKind() throws Exception {
        try (FakeController api = new FakeController(e -> FakeController.reply(e,
                e.getRequestURI().getPath().endsWith("/blue") ? 404 : 409, PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"network red already\\n"
                        + "exists: delete it first\"}"))) {
            Run refused = Run.of(new NetworkCommand(), "create", "red", "--subnet", "10.0.0.0/24", "--url", api.url());
            assertThat(refused.status()).isEqualTo(Exit.REFUSED);
            assertThat(refused.err()).isEqualTo("weft: network red already exists: delete it first\n");
            assertThat(refused.out()).isEmpty();
            Run missing = Run.of(new NetworkCommand(), "inspect", "blue", "--url", api.url());
            assertThat(missing.status()).isEqualTo(Exit.NOT_FOUND);
        }
    }

    @Test
    void aFailingControllerIsUnavailableAndSaysWhatCameInstead() throws Exception {
        try (FakeController api = new FakeController(e -> FakeController.reply(e, 502, "text/html",
                "<html>bad gateway</html>"))) {
            Run failed = Run.of(new HostCommand(), "ls", "--url", api.url());
            assertThat(failed.status()).isEqualTo(Exit.UNAVAILABLE);
            assertThat(failed.err()).isEqualTo("weft: HTTP 502: <html>bad gateway</html>\n");
        }
    }

    @Test
    void anUnreachableControllerIsUnavailableAndSaysWhereItWasLookedFor() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run r = Run.of(new NetworkCommand(), "ls", "--url", "http://127.0.0.1:" + closed);
        assertThat(r.status()).isEqualTo(Exit.UNAVAILABLE);
        assertThat(r.err()).startsWith("weft: cannot reach Weft at http://127.0.0.1:" + closed + ": connection refused")
                .endsWith("--url or WEFT_URL says where it is)\n").hasLineCount(1);
    }

    @Test
    void badUsageIsTwoAndSendsNothing() throws Exception {
        try (FakeController api = new FakeController(e -> FakeController.reply(e, 200, "application/json", "[]"))) {
            assertThat(Run.of(new NetworkCommand(), "ls", "--format", "yaml", "--url", api.url()).status())
                    .isEqualTo(Exit.USAGE);
            assertThat(Run.of(new NetworkCommand(), "create", "red", "--url", api.url()).status())
                    .as("--subnet is required").isEqualTo(Exit.USAGE);
            assertThat(Run.of(new NetworkCommand(), "ls", "--url", "ftp://x").status()).isEqualTo(Exit.USAGE);
            Run alone = Run.of(new NetworkCommand());
            assertThat(alone.status()).isEqualTo(Exit.USAGE);
            assertThat(alone.err()).contains("create, ls");
            assertThat(api.requests).isEmpty();
        }
    }

    @Test
    void theTokenFilesFirstWordIsSentAsBearerToken(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "s3cret admin orchestrator\n");
        try (FakeController api = new FakeController(e -> FakeController.reply(e, 200, "application/json", "[]"))) {
            Run r = Run.of(new HostCommand(), "ls", "--url", api.url(), "--token-file", tokens.toString());
            assertThat(r.status()).isZero();
            assertThat(api.requests).singleElement().satisfies(req -> {
                assertThat(req.authorization()).isEqualTo("Bearer s3cret");
                assertThat(req.pathAndQuery()).isEqualTo("/api/v1/hosts");
            });
            Path empty = Files.writeString(dir.resolve("empty"), "\n");
            assertThat(Run.of(new HostCommand(), "ls", "--url", api.url(), "--token-file", empty.toString()).status())
                    .isEqualTo(Exit.USAGE);
        }
    }

    @Test
    void aWaitedWriteThatNotEveryHostAcknowledgedIsFive() throws Exception {
        try (FakeController api = new FakeController(e -> FakeController.reply(e, 202, "application/json",
                "{\"name\":\"c1\",\"pending\":{\"h2\":\"OpenFlow not connected\"},\"installPending\":\"committed at "
                        + "revision 9 but not acknowledged by every host within 2000 ms: h2 (OpenFlow not connected)\"}"))) {
            Run r = Run.of(new NetworkCommand(), "connect", "red", "c1", "--host", "h1", "--port", "veth-c1",
                    "--wait-timeout", "2s", "--url", api.url());
            assertThat(r.status()).isEqualTo(Exit.PENDING);
            assertThat(r.out()).isEqualTo("c1\n");
            assertThat(r.err()).isEqualTo("weft: committed at revision 9 but not acknowledged by every host within "
                    + "2000 ms: h2 (OpenFlow not connected)\n");
            assertThat(api.requests.get(0).pathAndQuery()).isEqualTo("/api/v1/networks/red/endpoints?wait=2s");
        }
    }
}
