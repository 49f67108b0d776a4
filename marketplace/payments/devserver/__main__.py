"""``python -m marketplace.payments.devserver [--host 127.0.0.1] [--port 8420] [--state-file PATH]``"""
import argparse
import logging

from aiohttp import web

from . import build_app


def main() -> None:
    parser = argparse.ArgumentParser(description="Local Stripe-compatible server (localstripe + Connect).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: loopback only)")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--state-file", default=None, help="keep state across restarts in this pickle file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s stripe-devserver %(message)s")
    app = build_app(args.state_file)
    web.run_app(app, host=args.host, port=args.port, print=lambda *a: None)


if __name__ == "__main__":
    main()
