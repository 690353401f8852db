"""The ads plugin's error codes and bilingual texts (errors, next steps, status explanations)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "INVALID_CREDIT_CODE": {
        "en": "The business licence number is not a valid 18-character unified social credit code.",
        "zh-CN": "营业执照号码无效，请填写 18 位统一社会信用代码。",
    },
    "INVALID_CONTACT": {
        "en": "Enter a mainland mobile number or an email address we can reach you at.",
        "zh-CN": "请填写可联系到你的手机号或邮箱。",
    },
    "QUALIFICATION_REQUIRED": {
        "en": "Advertisers in this industry must upload their industry qualification documents.",
        "zh-CN": "该行业的广告主需上传行业资质证明文件。",
    },
    "TOO_MANY_DOCUMENTS": {
        "en": "Upload at most {limit} documents.",
        "zh-CN": "最多上传 {limit} 份文件。",
    },
    "FILE_TYPE_NOT_ALLOWED": {
        "en": "Upload an image (JPEG, PNG, GIF, WebP) or a PDF.",
        "zh-CN": "请上传图片（JPEG、PNG、GIF、WebP）或 PDF 文件。",
    },
    "FILE_TOO_LARGE": {
        "en": "Each file may be at most {limit_mb} MB.",
        "zh-CN": "单个文件不能超过 {limit_mb} MB。",
    },
    "INVALID_TRANSITION": {
        "en": "An application that is {status} cannot be {action}.",
        "zh-CN": "当前状态（{status}）的申请不能执行该操作（{action}）。",
    },
    "REASON_REQUIRED": {
        "en": "Give the applicant a reason (1 to 2,000 characters).",
        "zh-CN": "请填写原因（1 到 2000 个字符）。",
    },
    "APPLICATION_PENDING": {
        "en": "You already have an application for this licence in progress.",
        "zh-CN": "该营业执照已有正在处理的申请。",
    },
}

CODES = tuple(MESSAGES)

#: What happens next after an inquiry, per queue (the `{hours}` is the queue's answer time).
NEXT_STEPS: dict[str, dict[str, list[str]]] = {
    "sales-key-accounts": {
        "en": [
            "A key-account manager will call or email you within {hours} working hours.",
            "Prepare your business licence and campaign goals for a custom proposal.",
            "Apply as an advertiser (Help Center > Advertising > Apply) to speed up onboarding.",
        ],
        "zh-CN": [
            "大客户经理将在 {hours} 个工作小时内通过电话或邮件联系你。",
            "请准备好营业执照和投放目标，我们将为你定制方案。",
            "可先提交广告主入驻申请（帮助中心 > 广告合作 > 入驻申请），加快开户。",
        ],
    },
    "sales-smb": {
        "en": [
            "Our sales team will contact you within {hours} working hours.",
            "Apply as an advertiser with your business licence to open an ad account.",
            "Meanwhile, read the advertising guides in the Help Center.",
        ],
        "zh-CN": [
            "销售团队将在 {hours} 个工作小时内联系你。",
            "请提交广告主入驻申请并上传营业执照，开通广告账户。",
            "等待期间可阅读帮助中心的广告投放指南。",
        ],
    },
    "sales-self-serve": {
        "en": [
            "Small budgets start fastest with self-serve promotion: apply as an advertiser now.",
            "A sales assistant will email you starter material within {hours} working hours.",
        ],
        "zh-CN": [
            "小额预算建议使用自助投放：现在即可提交广告主入驻申请。",
            "销售助理将在 {hours} 个工作小时内发送入门资料到你的邮箱。",
        ],
    },
}

#: Where an application is and what the applicant should do, per status.
STATUS_TEXT: dict[str, dict[str, str]] = {
    "SUBMITTED": {
        "en": "Received. A reviewer will look at it within 2 working days.",
        "zh-CN": "已提交，审核人员将在 2 个工作日内处理。",
    },
    "IN_REVIEW": {"en": "A reviewer is checking your documents.", "zh-CN": "审核人员正在核验你的材料。"},
    "NEEDS_DOCUMENTS": {
        "en": "More documents are needed: see the reviewer's note and upload them.",
        "zh-CN": "需要补充材料：请查看审核意见并上传。",
    },
    "APPROVED": {
        "en": "Approved. Your advertiser account is ready to use.",
        "zh-CN": "审核通过，广告账户已可使用。",
    },
    "REJECTED": {
        "en": "Not approved. See the reason; you may apply again with corrected documents.",
        "zh-CN": "未通过审核，请查看原因；更正材料后可重新申请。",
    },
}
