package io.weft.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PKI made as an operator makes one, with {@code ovs-pki}: its {@code controllerca} signs the
 * controller's certificate, its {@code switchca} the hosts'. Weft trusts the switch CA, the hosts trust the
 * controller CA. {@link #stranger} makes a self-signed certificate with {@code openssl req} that neither CA
 * signed. Everything lives in one temporary directory, removed by {@link #close()}.
 */
public final class Pki implements AutoCloseable {

    /**
     * PEM files of one party: its key and certificate, and the CA certificate it checks its peers against.
     * Keys are PKCS#8, as ovs-pki and openssl write them with OpenSSL 3.
     */
    public record Identity(Path key, Path certificate, Path trustedCa) {
    }

    private final Path dir;

    private Pki(Path dir) {
        this.dir = dir;
    }

    public static Pki create() throws IOException {
        Path dir = Files.createTempDirectory("weft-pki-");
        Pki pki = new Pki(dir);
        try {
            pki.run("ovs-pki", "--dir=" + dir.resolve("ca"), "init");
            return pki;
        } catch (IOException | RuntimeException e) {
            pki.close();
            throw e;
        }
    }

    /** Weft's identity: signed by the controller CA, trusting the switch CA. */
    public Identity controller(String name) throws IOException {
        return issue(name, "controller", "switchca");
    }

    /** A host's identity: signed by the switch CA, trusting the controller CA. */
    public Identity host(String name) throws IOException {
        return issue(name, "switch", "controllerca");
    }

    /** A self-signed certificate (its own CA) that neither CA of this PKI signed. */
    public Identity stranger(String name) throws IOException {
        Path key = dir.resolve(name + "-privkey.pem");
        Path cert = dir.resolve(name + "-cert.pem");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", key.toString(), "-out", cert.toString());
        return new Identity(key, cert, cert);
    }

    private Identity issue(String name, String type, String trusted) throws IOException {
        // A bare name: it becomes the certificate's CN, which holds 64 characters.
        run("ovs-pki", "--dir=" + dir.resolve("ca"), "--force", "req+sign", name, type);
        return new Identity(dir.resolve(name + "-privkey.pem"), dir.resolve(name + "-cert.pem"),
                dir.resolve("ca").resolve(trusted).resolve("cacert.pem"));
    }

    private void run(String... argv) throws IOException {
        Process p = new ProcessBuilder(List.of(argv)).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " failed (" + (p.isAlive() ? "timed out" : "exit "
                        + p.exitValue()) + "): " + out + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** ovs-pki writes what went wrong to its log, not to its output. */
    private String log() {
        try {
            return Files.readString(dir.resolve("ca").resolve("ovs-pkilog"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a uniquely named temporary directory
        }
    }
}
