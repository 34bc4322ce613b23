//// add two arguments
    Method (MADD, 2) { Return (Arg0 + Arg1) }
//// add legacy form
    Method (LADD, 2) { Return (Add (Arg0, Arg1)) }
//// add into a local
    Method (LOCA, 2) { Local0 = Arg0 + Arg1
        Return (Local0) }
//// add legacy with target
    Method (LTGT, 2) { Add (Arg0, Arg1, Local0)
        Return (Local0) }
//// compound add
    Method (CADD, 1) { Local0 = Arg0
        Local0 += 4
        Return (Local0) }
//// every compound assignment
    Method (CALL, 1) { Local0 = Arg0
        Local0 += 1
        Local0 -= 2
        Local0 *= 3
        Local0 /= 4
        Local0 %= 5
        Local0 <<= 6
        Local0 >>= 7
        Local0 &= 8
        Local0 |= 9
        Local0 ^= 10
        Return (Local0) }
//// subtract multiply divide mod
    Method (ARTH, 2) { Local0 = Arg0 - Arg1
        Local1 = Arg0 * Arg1
        Local2 = Arg0 / Arg1
        Local3 = Arg0 % Arg1
        Return (Local0 + Local1 + Local2 + Local3) }
//// divide with remainder and quotient
    Method (DIVR, 2) { Divide (Arg0, Arg1, Local0, Local1)
        Return (Local0 + Local1) }
//// divide quotient only
    Method (DIVQ, 2) { Divide (Arg0, Arg1, , Local1)
        Return (Local1) }
//// shifts
    Method (SHFT, 2) { Return ((Arg0 << Arg1) | (Arg0 >> 2)) }
//// bitwise and or xor not
    Method (BITS, 2) { Local0 = (Arg0 & Arg1) | (Arg0 ^ Arg1)
        Local1 = ~Arg0
        Return (Local0 & Local1) }
//// legacy NAnd NOr
    Method (NAOR, 2) { NAnd (Arg0, Arg1, Local0)
        NOr (Arg0, Arg1, Local1)
        Return (Local0 | Local1) }
//// logical operators
    Method (LOGI, 2) { If ((Arg0 == 1) && (Arg1 != 2) || !Arg0) { Return (1) }
        Return (0) }
//// comparisons
    Method (CMPS, 2) { Local0 = (Arg0 < Arg1)
        Local1 = (Arg0 > Arg1)
        Local2 = (Arg0 <= Arg1)
        Local3 = (Arg0 >= Arg1)
        Return (Local0 + Local1 + Local2 + Local3) }
//// legacy comparisons
    Method (LCMP, 2) { If (LAnd (LEqual (Arg0, 1), LNotEqual (Arg1, 0))) { Return (One) }
        If (LOr (LGreater (Arg0, Arg1), LLess (Arg0, Arg1))) { Return (0x02) }
        If (LGreaterEqual (Arg0, 3)) { Return (3) }
        If (LLessEqual (Arg0, 4)) { Return (4) }
        Return (LNot (Arg0)) }
//// increment and decrement
    Method (INCD, 1) { Local0 = Arg0
        Local0++
        Local0--
        Increment (Local0)
        Decrement (Local0)
        Return (Local0) }
//// precedence multiply before add
    Method (PREC, 3) { Return (Arg0 + Arg1 * Arg2) }
//// precedence with parentheses
    Method (PARN, 3) { Return ((Arg0 + Arg1) * Arg2) }
//// left associative subtraction
    Method (LASS, 3) { Return (Arg0 - Arg1 - Arg2) }
//// fold constant addition
    Name (FADD, 1 + 2)
//// fold shift
    Name (FSHL, 1 << 7)
//// fold in a method
    Method (FMTH, 1) { Local0 = Arg0 | (1 << 7)
        Return (Local0) }
//// fold legacy add with target becomes store
    Method (FTGT) { Add (1, 2, Local0)
        Return (Local0) }
//// fold not zero to Ones
    Name (FNOT, Not (0))
//// fold not zero in a revision-1 table [rev1]
    Name (FNOT, Not (0))
//// fold logical equal to Ones
    Name (FLEQ, LEqual (1, 1))
//// fold logical false to Zero
    Name (FLNE, LEqual (1, 2))
//// fold predicate of If
    Method (FPRE, 1) { If (1 == 1) { Return (Arg0) }
        Return (0) }
//// fold divide
    Method (FDIV) { Local0 = 7 / 2
        Return (Local0) }
//// no fold with remainder target
    Method (NFDR) { Divide (7, 2, Local1, Local0)
        Return (Local0 + Local1) }
//// fold nested expression
    Name (FNST, (2 + 3) * (4 - 1))
//// fold wraps at 64 bits
    Name (FWRP, 0xFFFFFFFFFFFFFFFF + 2)
//// fold wraps at 32 bits [rev1]
    Name (FWRP, 0xFFFFFFFF + 2)
//// fold ToInteger
    Name (FTOI, ToInteger (5))
//// fold FindSetLeftBit and FindSetRightBit
    Name (FSLB, FindSetLeftBit (0x80))
    Name (FSRB, FindSetRightBit (0x80))
//// fold logical and or
    Name (FLAO, LOr (LAnd (1, 0), 1))
//// mixed constant and variable
    Method (MIXD, 1) { Return (Arg0 + (1 + 1)) }
//// store legacy
    Method (STOR, 1) { Store (Arg0, Local0)
        Store (Local0, Local1)
        Return (Local1) }
//// store to Debug
    Method (DBGS, 1) { Debug = Arg0
        Store ("machc", Debug) }
//// index and DerefOf
    Name (TBL0, Package () {10, 20, 30})
    Method (IDX0, 1) { Return (DerefOf (TBL0 [Arg0])) }
//// index legacy with target
    Name (TBL1, Package () {10, 20, 30})
    Method (IDX1, 1) { Index (TBL1, Arg0, Local0)
        Return (DerefOf (Local0)) }
//// index assignment target
    Name (TBL2, Package () {10, 20, 30})
    Method (IDX2, 1) { Local0 = TBL2 [Arg0]
        Return (DerefOf (Local0)) }
//// store into a package element
    Name (TBL3, Package () {10, 20, 30})
    Method (IDX3, 2) { TBL3 [Arg0] = Arg1 }
//// SizeOf ObjectType
    Method (SZOT, 1) { Return (SizeOf (Arg0) + ObjectType (Arg0)) }
//// RefOf and CondRefOf
    Name (OBJ1, 1)
    Method (REFS) { Local0 = RefOf (OBJ1)
        If (CondRefOf (\OBJ1, Local1)) { Return (DerefOf (Local1)) }
        Return (DerefOf (Local0)) }
//// CondRefOf without target
    Name (OBJ2, 1)
    Method (CREF) { If (CondRefOf (OBJ2)) { Return (One) }
        Return (Zero) }
//// Concatenate strings
    Method (CNCT, 1) { Return (Concatenate ("slot ", ToDecimalString (Arg0))) }
//// Concatenate into target
    Method (CNC2, 2) { Concatenate (Arg0, Arg1, Local0)
        Return (Local0) }
//// conversions
    Method (CONV, 1) { Local0 = ToBuffer (Arg0)
        Local1 = ToHexString (Arg0)
        Local2 = ToDecimalString (Arg0)
        Local3 = ToInteger (Arg0)
        Return (Local3) }
//// ToString with and without length
    Method (TSTR, 1) { Local0 = ToString (Arg0)
        Local1 = ToString (Arg0, 4)
        Return (Concatenate (Local0, Local1)) }
//// Mid
    Method (MID0, 1) { Return (Mid (Arg0, 1, 2)) }
//// Mid into target
    Method (MID1, 1) { Mid (Arg0, 0, 4, Local0)
        Return (Local0) }
//// Match
    Name (MTBL, Package () {1, 2, 3, 4})
    Method (MTCH, 1) { Return (Match (MTBL, MEQ, Arg0, MTR, 0, 0)) }
//// Match with two conditions
    Name (MTB2, Package () {1, 5, 9})
    Method (MTC2, 2) { Return (Match (MTB2, MGE, Arg0, MLT, Arg1, 1)) }
//// FindSetLeftBit into target
    Method (FSLT, 1) { FindSetLeftBit (Arg0, Local0)
        FindSetRightBit (Arg0, Local1)
        Return (Local0 - Local1) }
//// BCD conversions
    Method (BCDS, 1) { ToBCD (Arg0, Local0)
        FromBCD (Local0, Local1)
        Return (Local1) }
//// CopyObject
    Name (COPY, 0)
    Method (CPOB, 1) { CopyObject (Arg0, COPY) }
//// Timer
    Method (TIMR) { Local0 = Timer
        Return (Local0) }
//// Timer with parentheses
    Method (TIM2) { Return (Timer ()) }
//// Stall and Sleep
    Method (DLAY, 1) { Stall (50)
        Sleep (Arg0) }
//// Noop and BreakPoint
    Method (NOPS) { Noop
        BreakPoint }
//// Not into target
    Method (NOT1, 1) { Not (Arg0, Local0)
        Return (Local0) }
//// Not assignment
    Method (NOT2, 1) { Local0 = ~Arg0
        Return (Local0) }
//// logical not assignment stores
    Method (LNT1, 1) { Local0 = !Arg0
        Return (Local0) }
//// equality assignment stores
    Method (EQAS, 1) { Local0 = (Arg0 == 5)
        Return (Local0) }
//// three-way sum
    Method (SUM3, 3) { Return (Arg0 + Arg1 + Arg2) }
//// shift by a method argument
    Method (SHA1, 2) { Local0 = One << Arg1
        Return (Arg0 & Local0) }
//// assign to argument
    Method (ARGW, 1) { Arg0 = 5
        Return (Arg0) }
//// write an argument beyond the count then read it
    Method (ARGX) { Arg3 = 2
        Return (Arg3) }
//// all seven arguments
    Method (ARG7, 7) { Return (Arg0 + Arg1 + Arg2 + Arg3 + Arg4 + Arg5 + Arg6) }
//// all eight locals
    Method (LOC8) { Local0 = 0
        Local1 = 1
        Local2 = 2
        Local3 = 3
        Local4 = 4
        Local5 = 5
        Local6 = 6
        Local7 = 7
        Return (Local0 + Local1 + Local2 + Local3 + Local4 + Local5 + Local6 + Local7) }
