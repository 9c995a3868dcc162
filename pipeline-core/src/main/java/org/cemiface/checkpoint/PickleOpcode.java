package org.cemiface.checkpoint;

/**
 * Pickle opcodes by the names Python's {@code pickletools} gives them, so a reader of {@link
 * RestrictedUnpickler} sees which ones it accepts and which it refuses.
 */
final class PickleOpcode {
  // Framing and control.
  static final int PROTO = 0x80;
  static final int FRAME = 0x95;
  static final int STOP = 0x2e;
  static final int MARK = 0x28;
  static final int POP = 0x30;
  static final int POP_MARK = 0x31;
  static final int DUP = 0x32;
  // Constants and numbers.
  static final int NONE = 0x4e;
  static final int NEWTRUE = 0x88;
  static final int NEWFALSE = 0x89;
  static final int BININT = 0x4a;
  static final int BININT1 = 0x4b;
  static final int BININT2 = 0x4d;
  static final int LONG1 = 0x8a;
  static final int LONG4 = 0x8b;
  static final int BINFLOAT = 0x47;
  static final int INT = 0x49;
  static final int LONG = 0x4c;
  static final int FLOAT = 0x46;
  // Strings and bytes.
  static final int BINUNICODE = 0x58;
  static final int SHORT_BINUNICODE = 0x8c;
  static final int BINUNICODE8 = 0x8d;
  static final int UNICODE = 0x56;
  static final int STRING = 0x53;
  static final int BINSTRING = 0x54;
  static final int SHORT_BINSTRING = 0x55;
  static final int BINBYTES = 0x42;
  static final int SHORT_BINBYTES = 0x43;
  static final int BINBYTES8 = 0x8e;
  static final int BYTEARRAY8 = 0x96;
  // Containers.
  static final int EMPTY_DICT = 0x7d;
  static final int EMPTY_LIST = 0x5d;
  static final int EMPTY_TUPLE = 0x29;
  static final int EMPTY_SET = 0x8f;
  static final int DICT = 0x64;
  static final int LIST = 0x6c;
  static final int TUPLE = 0x74;
  static final int FROZENSET = 0x91;
  static final int TUPLE1 = 0x85;
  static final int TUPLE2 = 0x86;
  static final int TUPLE3 = 0x87;
  static final int APPEND = 0x61;
  static final int APPENDS = 0x65;
  static final int ADDITEMS = 0x90;
  static final int SETITEM = 0x73;
  static final int SETITEMS = 0x75;
  // Globals and calls: accepted only for the allow-listed names RestrictedUnpickler checks.
  static final int GLOBAL = 0x63;
  static final int STACK_GLOBAL = 0x93;
  static final int REDUCE = 0x52;
  static final int NEWOBJ = 0x81;
  static final int NEWOBJ_EX = 0x92;
  static final int BUILD = 0x62;
  static final int BINPERSID = 0x51;
  static final int PERSID = 0x50;
  // The memo.
  static final int BINPUT = 0x71;
  static final int LONG_BINPUT = 0x72;
  static final int PUT = 0x70;
  static final int MEMOIZE = 0x94;
  static final int BINGET = 0x68;
  static final int LONG_BINGET = 0x6a;
  static final int GET = 0x67;
  // Always refused: they instantiate classes without the allow-list's checks (INST, OBJ) or through
  // the copyreg
  // extension registry (EXT1, EXT2, EXT4).
  static final int INST = 0x69;
  static final int OBJ = 0x6f;
  static final int EXT1 = 0x82;
  static final int EXT2 = 0x83;
  static final int EXT4 = 0x84;

  private PickleOpcode() {}
}
