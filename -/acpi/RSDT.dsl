/* RSDT */
[000h 0000   4]                    Signature : "RSDT"
[004h 0004   4]                 Table Length : 00000038
[008h 0008   1]                     Revision : 01
[009h 0009   1]                     Checksum : DC
[00Ah 0010   6]                       Oem ID : "MACHC "
[010h 0016   8]                 Oem Table ID : "MACHCQ35"
[018h 0024   4]                 Oem Revision : 00000001
[01Ch 0028   4]              Asl Compiler ID : "MCHC"
[020h 0032   4]        Asl Compiler Revision : 00000001
[024h 0036   4]         ACPI Table Address 0 : 00000000 (address of FACP)
[028h 0040   4]         ACPI Table Address 1 : 00000000 (address of APIC)
[02Ch 0044   4]         ACPI Table Address 2 : 00000000 (address of HPET)
[030h 0048   4]         ACPI Table Address 3 : 00000000 (address of MCFG)
[034h 0052   4]         ACPI Table Address 4 : 00000000 (address of WAET)
