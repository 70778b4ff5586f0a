# Seed 002's server, as the post wrote it, with two changes for testing:
# the port comes from argv (0 = any free port) and it prints the netlabs
# ready line once it listens. It serves one client, then exits.
import socket
import sys

server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_address = ('localhost', int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
server_socket.bind(server_address)
server_socket.listen(1)
print(f"listening on 127.0.0.1:{server_socket.getsockname()[1]}", flush=True)

client_socket, client_address = server_socket.accept()
data = client_socket.recv(1024)
print(f"Received data: {data.decode()}", flush=True)
message = "Hello from server!"
client_socket.sendall(message.encode())
client_socket.close()
