package io.weft.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Where the controller's REST API is, how to be let in, and how to print: mixed into every command. */
@Command(exitCodeListHeading = Exit.HEADING, exitCodeList = {Exit.L0, Exit.L1, Exit.L2, Exit.L3, Exit.L4, Exit.L5})
final class ApiOptions {

    /** How replies are printed. */
    enum Format {
        /** Aligned columns with upper-case headers, as {@code docker network ls}. */
        TABLE,
        /** The API's JSON, for scripts ({@code jq}). */
        JSON;

        static final class Converter implements ITypeConverter<Format> {
            @Override
            public Format convert(String value) {
                for (Format f : values()) {
                    if (f.name().equalsIgnoreCase(value)) {
                        return f;
                    }
                }
                throw new TypeConversionException("'" + value + "' is not a format: use table or json");
            }
        }

        static final class Names implements Iterable<String> {
            @Override
            public Iterator<String> iterator() {
                return List.of("table", "json").iterator();
            }
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--url", defaultValue = "${env:WEFT_URL:-http://127.0.0.1:8080}", paramLabel = "URL",
            description = "The controller's REST API, http://HOST:PORT or https://HOST:PORT (env WEFT_URL; default: "
                    + "http://127.0.0.1:8080).")
    URI url;

    @Option(names = "--token-file", defaultValue = "${env:WEFT_TOKEN_FILE}", paramLabel = "FILE",
            description = "A file holding the bearer token, when the controller requires tokens (env WEFT_TOKEN_FILE;"
                    + " env WEFT_TOKEN may hold the token itself).")
    Path tokenFile;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM CA certificate(s) that signed the controller's HTTPS certificate.")
    Path ca;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", converter = Format.Converter.class,
            completionCandidates = Format.Names.class,
            description = "table (default: aligned columns) or json (the API's replies, for scripts).")
    Format format;

    boolean json() {
        return format == Format.JSON;
    }

    /** The client these options describe; a token file or CA that cannot be used is a usage error. */
    WeftRest client() {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new ParameterException(mixee.commandLine(), "--url " + url + " is not http://HOST:PORT or "
                    + "https://HOST:PORT");
        }
        try {
            Optional<String> token = tokenFile != null ? Optional.of(ClientCredentials.token(tokenFile))
                    : Optional.ofNullable(System.getenv("WEFT_TOKEN")).map(String::strip).filter(t -> !t.isEmpty());
            return new WeftRest(url, token, Optional.ofNullable(ca).map(ClientCredentials::trusting));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
