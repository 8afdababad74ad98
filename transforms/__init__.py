"""The stages a message meets, in order: ``step1_read`` → ``step2_decode`` → ``step3_parse`` →
``step4_hold`` → ``step5_enrich`` → ``step6_encode`` → ``step7_write``; each a thin Beam wrapper over the plain logic
in the sub-packages (``kafka``, ``formats``, ``parsing``, ``newsroom``, ``nlp``, ``records``), which never import Beam.
"""
