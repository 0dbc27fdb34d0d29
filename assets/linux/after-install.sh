#!/bin/sh
# Soothe reads serial pulse sensors (/dev/ttyUSB*, /dev/ttyACM*), which belong to the dialout group.
echo "Soothe: to use a serial pulse sensor, add yourself to the dialout group: sudo usermod -aG dialout \$USER (then log in again)."
