/**
 * Helpers for the fuzz tests of every protocol layer (the {@code *FuzzTest} classes, jqwik
 * properties): {@link io.gossipnet.testkit.fuzz.Mutations} turns valid encodings into the
 * near-valid inputs that find decoder bugs, and {@link io.gossipnet.testkit.fuzz.Decoding} runs a
 * decoder on one input and checks the rules every decoder keeps: it accepts or refuses with its
 * own exception type (nothing else escapes) and allocates no more than the limit it declares. The
 * cases per property come from {@code jqwik.tries.default}: 1,000 in {@code bin/test}, 1,000,000
 * with {@code -Pfuzz} ({@code bin/fuzz}).
 */
package io.gossipnet.testkit.fuzz;
