/**
 * The operator's commands on Weft's REST API, in the idiom of {@code docker network}: {@code weft network},
 * {@code endpoint}, {@code host}, {@code flows}, {@code trace}, {@code events}, {@code completion}. Each is a
 * {@link io.weft.controller.WeftCommand} that {@code bin/weft} finds on its class path.
 *
 * <p>Every command sees only what an orchestrator sees: {@link io.weft.cli.WeftRest} is the one HTTP client
 * (java.net.http), {@link io.weft.cli.ApiOptions} the options that say where the API is and how to reach it, and
 * {@link io.weft.cli.ApiCommand} turns a refusal into one line on stderr and an {@link io.weft.cli.Exit} status a
 * script can test. What is printed is computed from the API's JSON by pure functions ({@link io.weft.cli.Table},
 * {@link io.weft.cli.Renderings}), tested against recorded replies.
 */
package io.weft.cli;
