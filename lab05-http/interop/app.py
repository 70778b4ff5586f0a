"""The seeds' server, in Flask: the same routes as lab05-server, for interop.

    python3 app.py [--host 127.0.0.1] [--port 5000]

It prints the course's ready line, "listening on HOST:PORT", once it accepts
connections (port 0: any free port, the one it got is printed).
"""
import argparse
import sys

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

app = Flask(__name__)
messages = []


@app.get("/hello")
def hello():
    return "hello from flask\n"


@app.get("/messages")
def list_messages():
    return jsonify(messages)


@app.post("/messages")
def post_message():
    body = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(body, dict):
        return jsonify(error="body is not a JSON object", status=400), 400
    for field in ("name", "text"):
        if not isinstance(body.get(field), str) or not body[field].strip():
            return jsonify(error=f"missing field '{field}'", status=400), 400
    message = {"id": len(messages) + 1, "name": body["name"].strip(), "text": body["text"].strip()}
    messages.append(message)
    return jsonify(message), 201


@app.get("/whoami")
def whoami():
    return jsonify(ip=request.remote_addr, port=request.environ.get("REMOTE_PORT"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    server = make_server(args.host, args.port, app, threaded=True)
    print(f"listening on {args.host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
