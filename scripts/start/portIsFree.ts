// Tells whether a port can be bound on a host right now, so `npm start` can say which port is taken
// before it starts anything.
import net from 'node:net';

export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
