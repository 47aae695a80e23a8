"""An offline verifier of Linesight audit exports: standard library and ``cryptography``
only, no dependency on the services, so a defence expert can run it on their own machine.

``merkle``      RFC 6962/9162 tree hashing and inclusion/consistency proofs
``note``        C2SP signed notes with Ed25519
``checkpoint``  C2SP tlog-checkpoint bodies
``bundle``      a case export bundle: every entry, proof, checkpoint and signature checked
"""
