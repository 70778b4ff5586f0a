# Seed 004's client, as the post wrote it, with the port from argv: the post's
# 12345 is a port nobody listens on (seed 002's server is on 8000).
import socket
import sys

server_address = ('localhost', int(sys.argv[1]) if len(sys.argv) > 1 else 12345)
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.connect(server_address)
message = "Hello, server!"
sock.sendall(message.encode())
data = sock.recv(1024).decode()
print("Received:", data)
sock.close()
