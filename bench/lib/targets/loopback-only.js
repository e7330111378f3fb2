/**
 * Preloaded into Portkey's gateway (`node --import …/loopback-only.js`): its start-server listens on all
 * interfaces and has no flag for the address, but the bench must only open loopback ports. A server asked
 * to listen on a port without an address is given 127.0.0.1 instead. This changes nothing on the request
 * path, so it does not affect the figures.
 */
import net from 'node:net';

const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (args[1] === undefined || args[1] === null || typeof args[1] === 'function') args[1] = '127.0.0.1';
    else if (typeof args[1] === 'number') args.splice(1, 0, '127.0.0.1'); // (port, backlog, cb)
  } else if (args[0] && typeof args[0] === 'object' && args[0].path === undefined && !args[0].host) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
