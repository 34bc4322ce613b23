/* WAET */
[000h 0000   4]                    Signature : "WAET"
[004h 0004   4]                 Table Length : 00000028
[008h 0008   1]                     Revision : 01
[009h 0009   1]                     Checksum : F6
[00Ah 0010   6]                       Oem ID : "MACHC "
[010h 0016   8]                 Oem Table ID : "MACHCQ35"
[018h 0024   4]                 Oem Revision : 00000001
[01Ch 0028   4]              Asl Compiler ID : "MCHC"
[020h 0032   4]        Asl Compiler Revision : 00000001
[024h 0036   4]   Flags (ACPI PM Timer Good) : 00000002
