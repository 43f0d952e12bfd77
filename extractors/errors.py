"""Extraction errors: one catalogue of codes and Chinese messages, one small exception tree.

Backends wrap third-party exceptions where they enter (``raise CorruptFile(path) from exc``);
the flow catches `ExtractionError` per document, records `code` and `message`, and goes on.
"""

from __future__ import annotations

from enum import Enum


class E(Enum):
    """Error catalogue. Value: (code, Chinese message template)."""

    EMPTY_FILE = ("E001", "文件为空：{path}")
    UNSUPPORTED_FORMAT = ("E002", "不支持的文件格式“{suffix}”：{path}")
    CORRUPT_FILE = ("E003", "文件已损坏或格式不符，无法读取：{path}（{detail}）")
    ENCRYPTED_PDF = ("E004", "PDF 文件已加密，无法提取文本：{path}")
    NO_TEXT_LAYER = ("E005", "PDF 没有文字层（可能是扫描件），需要 OCR：{path}")
    TOO_LARGE = ("E006", "文件过大（{size} 字节，上限 {limit} 字节）：{path}")
    ZIP_BOMB = ("E007", "文件解压后体积异常（疑似压缩炸弹），已拒绝：{path}")
    UNDECODABLE_TEXT = ("E008", "无法识别文本编码：{path}")
    NO_TEXT = ("E009", "文件中没有可提取的正文：{path}")
    CONVERTER_MISSING = ("E010", "缺少转换工具 {tool}，请安装 Debian 软件包 {package}：{path}")
    CONVERSION_FAILED = ("E011", "格式转换失败：{path}（{detail}）")
    OCR_MISSING = ("E012", "缺少 OCR 引擎 {tool}，请安装 Debian 软件包 {package}：{path}")
    OCR_FAILED = ("E013", "OCR 识别失败：{path}（{detail}）")
    NOT_FOUND = ("E014", "文件不存在：{path}")
    # Recoverable: recorded as ExtractionIssue on a document that still came out.
    PAGE_WITHOUT_TEXT = ("W001", "第 {page} 页没有文字层（可能是扫描页），需要 OCR")
    NO_STRUCTURE = ("W002", "未识别出条款结构，全文作为一个整体")
    GARBLED_TEXT_LAYER = ("W003", "第 {page} 页文字层无法解码（字体缺少编码映射），需要 OCR")
    # Package data, not input files: a broken pattern file is a bug in the release.
    BAD_PATTERN_FILE = ("E101", "证据识别模式文件有误：{path} 第 {line} 行（{detail}）")

    @property
    def code(self) -> str:
        return self.value[0]

    def format(self, **kwargs: object) -> str:
        return self.value[1].format(**kwargs)


class ExtractionError(Exception):
    """Base of every error an extractor raises for a bad input file."""

    error: E = E.CORRUPT_FILE

    def __init__(self, path: str, **details: object) -> None:
        self.path = str(path)
        self.details = details
        self.message = self.error.format(path=self.path, **details)
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.error.code


class EmptyFile(ExtractionError):
    error = E.EMPTY_FILE


class UnsupportedFormat(ExtractionError):
    error = E.UNSUPPORTED_FORMAT


class CorruptFile(ExtractionError):
    error = E.CORRUPT_FILE


class EncryptedPdf(ExtractionError):
    error = E.ENCRYPTED_PDF


class NoTextLayer(ExtractionError):
    error = E.NO_TEXT_LAYER


class FileTooLarge(ExtractionError):
    error = E.TOO_LARGE


class ZipBomb(ExtractionError):
    error = E.ZIP_BOMB


class UndecodableText(ExtractionError):
    error = E.UNDECODABLE_TEXT


class NoText(ExtractionError):
    error = E.NO_TEXT


class ConverterMissing(ExtractionError):
    error = E.CONVERTER_MISSING


class ConversionFailed(ExtractionError):
    error = E.CONVERSION_FAILED


class OcrMissing(ExtractionError):
    error = E.OCR_MISSING


class OcrFailed(ExtractionError):
    error = E.OCR_FAILED


class FileMissing(ExtractionError):
    error = E.NOT_FOUND


class PatternFileError(ExtractionError):
    """A pattern file of the spaCy components (``extractors/patterns``) is missing or malformed."""

    error = E.BAD_PATTERN_FILE
