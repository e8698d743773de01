"""Other correct answers and classic wrong answers to the new exercise of Day 08."""

ANSWERS = {
    "ex6_answer": {
        "correct": {
            "fit, then transform twice, from_numpy": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder().fit(train_types)\n"
                "    return (encoder, torch.from_numpy(encoder.transform(train_types)),\n"
                "            torch.from_numpy(encoder.transform(new_types)))\n"
            ),
            "lists and .long()": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder()\n"
                "    encoder.fit(list(train_types))\n"
                "    train_labels = torch.as_tensor(encoder.transform(list(train_types))).long()\n"
                "    new_labels = torch.as_tensor(encoder.transform(list(new_types))).long()\n"
                "    return encoder, train_labels, new_labels\n"
            ),
        },
        "wrong": {
            "a fresh encoder for the new labels": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder()\n"
                "    train_labels = torch.tensor(encoder.fit_transform(train_types))\n"
                "    new_labels = torch.tensor(LabelEncoder().fit_transform(new_types))\n"
                "    return encoder, train_labels, new_labels\n",
                "encode the new labels with the encoder fitted on the training labels",
            ),
            "NumPy arrays instead of tensors": (
                "def label_encode(train_types, new_types):\n"
                "    encoder = LabelEncoder().fit(train_types)\n"
                "    return encoder, encoder.transform(train_types), encoder.transform(new_types)\n",
                "turn the NumPy array into a tensor",
            ),
            "a dict in order of appearance instead of an encoder": (
                "def label_encode(train_types, new_types):\n"
                "    index_of = {name: i for i, name in enumerate(train_types.unique())}\n"
                "    return (index_of, torch.tensor([index_of[n] for n in train_types]),\n"
                "            torch.tensor([index_of[n] for n in new_types]))\n",
                "return the fitted LabelEncoder itself",
            ),
        },
    },
}
