#!/usr/bin/env python3
"""A loopback TCP proxy that counts the bytes of every connection in both directions.

    byte_proxy.py LISTEN_PORT TARGET_PORT LOG_FILE

Listens on 127.0.0.1:LISTEN_PORT (0: a free port) and forwards to 127.0.0.1:TARGET_PORT. When a connection
ends it appends one line to LOG_FILE: "<client-to-server bytes> <server-to-client bytes>".
Counts are bytes on the wire, TLS records included: what a provider's network would carry.
Prints "ready PORT" on stdout once it listens.
"""

import asyncio
import sys


async def pump(reader, writer, counter, index):
    try:
        while data := await reader.read(65536):
            counter[index] += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    listen_port, target_port, log_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

    async def handle(client_reader, client_writer):
        counter = [0, 0]
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, server_writer, counter, 0),
                             pump(server_reader, client_writer, counter, 1))
        with open(log_file, "a") as log:
            log.write(f"{counter[0]} {counter[1]}\n")

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    print("ready", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
