"""Files in and out.

Actor files, SIRENE, validation, placement, exports, INSEE employment.
"""
