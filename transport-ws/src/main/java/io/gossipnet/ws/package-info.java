package io.gossipnet.ws;
