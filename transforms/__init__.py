"""The stages a message meets, in order: ``step1_read`` → ``step2_decode`` → ``step3_parse`` →
``step4_enrich`` → ``step5_encode`` → ``step6_write``; each a thin Beam wrapper over the plain logic
in the sub-packages (``kafka``, ``formats``, ``parsing``, ``nlp``, ``records``), which never import Beam.
"""
