"""Weft's test bed: emulated Docker hosts (own ovsdb-server + ovs-vswitchd, userspace datapath), underlay
segments and routers, and container namespaces, built with Mininet 2.3's Python API.

Topologies are plain data (see topologies.py); WeftTopo turns one into a Mininet Topo, Bed runs it and
describes it as JSON for the Java side, launcher.py is the stdin/stdout driver the JUnit extension uses.
"""
