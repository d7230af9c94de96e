/**
 * {@code weft docker-plugin}: the agent that runs next to dockerd on each host.
 *
 * <ul>
 *   <li>{@link io.weft.docker.PluginServer} serves Docker's plugin protocol ({@link io.weft.docker.PluginApi}) on a
 *       unix socket; {@link io.weft.docker.WeftDriver} answers each call with Weft's REST API
 *       ({@link io.weft.docker.WeftApi}): a container's address is its Weft endpoint, announced with {@code ?wait}
 *       when Docker asks for the address, so the flows are on every host before the container starts.</li>
 *   <li>{@link io.weft.docker.NetworkMirror} keeps this dockerd's networks in step with Weft's (Weft is the source
 *       of truth), {@link io.weft.docker.EndpointJanitor} removes the endpoints of containers Docker no longer runs;
 *       both decide with a pure plan over what they read, then apply the difference.</li>
 *   <li>{@link io.weft.docker.DockerEngine} reads and changes dockerd over its API socket,
 *       {@link io.weft.docker.Links} makes the veth pairs, {@link io.weft.docker.PoolBook} remembers which Weft
 *       network each pool of a network created with docker belongs to.</li>
 * </ul>
 */
package io.weft.docker;
