package io.weft.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.controller.intent.HostSpec;
import io.weft.controller.intent.NetworkSpec;
import io.weft.northbound.rest.BearerTokens;
import io.weft.northbound.rest.Certificates;
import io.weft.northbound.rest.TestServer;
import io.weft.ovsdb.SslConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The agent's {@code --token-file} and {@code --ca} against Weft's real REST server configured as
 * {@code --rest-listen https://... --rest-tokens FILE --tls-cert/--tls-key} configure it: an openssl certificate and
 * the controller's token file. The agent's client is made from its command line, as {@code weft docker-plugin}
 * makes it.
 */
class SecuredControllerTest {

    @TempDir
    Path dir;

    TestServer controller;
    Path tokenFile;
    Path ca;

    @BeforeEach
    void start() throws Exception {
        Certificates.selfSigned(dir, "rsa:2048");
        ca = dir.resolve("cert.pem");
        SslConfig tls = new SslConfig(dir.resolve("key.pem"), ca, ca);
        Path tokens = dir.resolve("rest-tokens");
        Files.writeString(tokens, TestServer.ADMIN_TOKEN + " admin orchestrator\n");
        controller = new TestServer(c -> c.withTls(tls).withTokens(BearerTokens.load(tokens)));
        controller.intents.createHost(new HostSpec("h1", "192.168.1.1", null, "netdev", null));
        controller.intents.createNetwork(new NetworkSpec("red", List.of(new NetworkSpec.SubnetSpec("10.0.0.0/24",
                "10.0.0.1")), "vxlan", null, null));
        // The agent's file holds the token alone; a line of the controller's file (TOKEN SCOPE NAME) works too.
        tokenFile = dir.resolve("agent-token");
        Files.writeString(tokenFile, TestServer.ADMIN_TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    /** The agent's client of the controller, made from {@code weft docker-plugin}'s options. */
    private WeftApi agent(String... options) {
        List<String> args = new ArrayList<>(List.of("--host", "h1", "--controller",
                "https://127.0.0.1:" + controller.server.port()));
        args.addAll(List.of(options));
        DockerPluginCommand command = new DockerPluginCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.weftApi();
    }

    private static Map<String, Object> blue() {
        return Map.of("name", "blue", "encap", "vxlan",
                "subnets", List.of(Map.of("cidr", "10.9.0.0/24", "gateway", "10.9.0.1")));
    }

    @Test
    void withTheTokenAndTheCaTheAgentReadsAndWrites() {
        WeftApi weft = agent("--token-file", tokenFile.toString(), "--ca", ca.toString());
        assertThat(weft.networks()).extracting(WeftApi.Network::name).containsExactly("red");
        assertThat(weft.datapathType("h1")).isEqualTo("netdev");
        weft.createNetwork(blue());
        assertThat(controller.store.current().networks()).containsKey("blue");
    }

    @Test
    void withoutTheTokenEveryCallIsRefusedSayingSo() {
        WeftApi weft = agent("--ca", ca.toString());
        assertThatThrownBy(weft::networks).isInstanceOfSatisfying(WeftApi.WeftException.class,
                e -> assertThat(e.status()).isEqualTo(401)).hasMessageContaining("Authorization: Bearer TOKEN");
        long revision = controller.store.current().revision();
        assertThatThrownBy(() -> weft.createNetwork(blue())).hasMessageContaining("Bearer");
        assertThat(controller.store.current().revision()).isEqualTo(revision);
    }

    @Test
    void withoutTheCaTheControllersCertificateIsNotTrustedAndTheAgentSaysWhatToGive() {
        WeftApi weft = agent("--token-file", tokenFile.toString());
        assertThatThrownBy(weft::networks).isInstanceOfSatisfying(WeftApi.WeftException.class,
                e -> assertThat(e.status()).isZero())
                .hasMessageContaining("https://127.0.0.1:" + controller.server.port())
                .hasMessageContaining("give --ca");
    }

    @Test
    void unusableTokenAndCaFilesAreRefusedAtStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> agent("--token-file", empty.toString(), "--ca", ca.toString()))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> agent("--token-file", dir.resolve("missing").toString()))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> agent("--ca", tokenFile.toString()))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("holds no PEM certificate");
    }
}
