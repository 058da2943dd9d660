/**
 * The registry's HTTP routes on the JDK's {@code com.sun.net.httpserver.HttpServer}:
 * {@link dev.cpt.monitor.http.RegistryRoutes#install} puts them on any server,
 * {@link dev.cpt.monitor.http.RegistryServer} is a server of its own. Long-polls hold the
 * exchange, not a thread.
 */
package dev.cpt.monitor.http;
