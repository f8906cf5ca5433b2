"""Fakes with the real interfaces: loopback servers and resolvers the tests run against."""
