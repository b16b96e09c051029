"""OS1's reference satellite: a microphone and a speaker in a room, over MQTT.

It listens for its wake word on the device (openWakeWord), streams the request
that follows to Home Assistant over OS1's MQTT protocol and plays the answer.
"""

from .client import Satellite, SatelliteOptions

__all__ = ["Satellite", "SatelliteOptions"]
